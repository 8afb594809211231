import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { localClaims } from "../../src/state/claims.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";

describe("update de-duplication and flood protection", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("handles an update once even when the platform delivers it twice", async () => {
    h = await createHarness();
    const user = newUser();
    h.sim.sendText(TOKENS.telegram, user, "/help");
    const update = h.sim.bot(TOKENS.telegram).updates[0]! as unknown as Update;
    const bot = h.app.bots.get("telegram")!;
    await bot.handleUpdate(update);
    await bot.handleUpdate(structuredClone(update));
    expect(h.sim.botMessages(TOKENS.telegram, user.id)).toHaveLength(1);
    // The same id on the other platform is another update.
    h.sim.sendText(TOKENS.bale, user, "/help");
    await h.deliver("bale");
    expect(h.sim.botMessages(TOKENS.bale, user.id)).toHaveLength(1);
  });

  it("still answers when the de-duplication store fails (Redis down)", async () => {
    h = await createHarness();
    h.app.deps.state.claimOnce = () => Promise.reject(new Error("connection refused"));
    const user = newUser();
    expect(await h.say("telegram", user, "/help")).toHaveLength(1);
  });

  it("sets a flood aside with one polite notice, and does not slow anyone else", async () => {
    h = await createHarness({ env: { FLOOD_BURST: "3", FLOOD_PER_SECOND: "2" } });
    const flooder = newUser();
    const other = newUser();
    for (let i = 0; i < 8; i++) h.sim.sendText(TOKENS.telegram, flooder, "/help");
    h.sim.sendText(TOKENS.telegram, other, "/help");
    await h.deliver("telegram");
    const texts = h.texts("telegram", flooder);
    expect(texts.filter((t) => t.includes("خیلی پشت سر هم"))).toHaveLength(1);
    expect(texts).toHaveLength(4); // three answered, one notice, four set aside
    expect(h.texts("telegram", other)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(await h.say("telegram", flooder, "/help")).toHaveLength(1); // the bucket refills
  });

  it("remembers claims until they expire, and at most the cap", async () => {
    const claim = localClaims(3);
    expect(await claim("a", 60)).toBe(true);
    expect(await claim("a", 60)).toBe(false);
    for (const k of ["b", "c", "d"]) await claim(k, 60);
    expect(await claim("a", 60)).toBe(true); // evicted as the oldest beyond the cap
    expect(await claim("z", 0)).toBe(true);
    expect(await claim("z", 0)).toBe(true); // expired at once
  });
});
