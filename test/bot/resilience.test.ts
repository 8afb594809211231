import type { Update } from "grammy/types";
import { afterEach, describe, expect, it, vi } from "vitest";
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
    h.app.deps.state.seen = () => Promise.reject(new Error("connection refused"));
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

  it("holds at most `inHand` updates of one person at once; the rest are set aside with one notice", async () => {
    const { floodGuard, DEFAULT_FLOOD } = await import("../../src/bot/middlewares/flood.js");
    const { createMemoryState } = await import("../../src/state/index.js");
    const state = createMemoryState(60);
    const replies: string[] = [];
    const refused: string[] = [];
    const ctx = (id: number) =>
      ({
        from: { id },
        chat: { type: "private" },
        caps: { platform: "bale" },
        deps: { state, metrics: { refused: { inc: (l: { defence: string }) => refused.push(l.defence) } } },
        log: { warn: () => undefined },
        t: (k: string) => k,
        reply: async (text: string) => void replies.push(text),
      }) as never;
    const guard = floodGuard({ ...DEFAULT_FLOOD, burst: 1000, perSecond: 1000, inHand: 3 });
    // The person's earlier updates are still in hand (their replies wait for the chat's pace).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let handled = 0;
    const next = () => {
      handled++;
      return held;
    };
    const running = [1, 2, 3].map(() => guard(ctx(7), next));
    for (let i = 0; i < 5; i++) await guard(ctx(7), next);
    expect(handled).toBe(3);
    expect(replies).toEqual(["flood.slow_down"]);
    expect(refused).toHaveLength(5);
    // Someone else is unaffected.
    const other = guard(ctx(8), next);
    await vi.waitFor(() => expect(handled).toBe(4));
    release();
    await Promise.all([...running, other]);
    await guard(ctx(7), async () => void handled++);
    expect(handled).toBe(5);
    await state.close();
  });

  it("remembers claims until they expire, and at most the cap", async () => {
    const { claimOnce: claim, seen } = localClaims(3);
    expect(await seen("a")).toBe(false);
    expect(await claim("a", 60)).toBe(true);
    expect(await seen("a")).toBe(true);
    expect(await claim("a", 60)).toBe(false);
    for (const k of ["b", "c", "d"]) await claim(k, 60);
    expect(await claim("a", 60)).toBe(true); // evicted as the oldest beyond the cap
    expect(await claim("z", 0)).toBe(true);
    expect(await claim("z", 0)).toBe(true); // expired at once
  });
});

describe("/metrics", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("serves Prometheus text: updates by platform and type, handler latency, conversations, deliveries, outbox depth", async () => {
    h = await createHarness();
    const port = await h.app.server.listen(0);
    const user = newUser();
    await h.say("telegram", user, "/start");
    await h.say("telegram", user, "/cancel");
    await h.say("bale", newUser(), "/help");
    h.sim.openChat(TOKENS.telegram, user);
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) }))!;
    const { pushTo } = await import("../../src/services/broadcast.js");
    await pushTo(h.app.deps.store, person.id, "x");
    const before = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(before).toMatch(/hamdel_outbox_depth 1/);
    while ((await h.app.engine.runOnce()) > 0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/hamdel_updates_total\{platform="telegram",type="message"\} 2/);
    expect(text).toMatch(/hamdel_updates_total\{platform="bale",type="message"\} 1/);
    expect(text).toMatch(/hamdel_handler_seconds_count\{platform="telegram"\} 2/);
    expect(text).toMatch(/hamdel_conversations_total\{conversation="registration",event="started"\} 1/);
    expect(text).toMatch(/hamdel_deliveries_total\{platform="telegram",status="sent"\} 1/);
    expect(text).toMatch(/hamdel_outbox_depth 0/);
    expect(text).toContain("hamdel_process_resident_memory_bytes");
  });
});
