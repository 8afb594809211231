import { afterEach, describe, expect, it } from "vitest";
import { ApiFault, tooManyRequests } from "../../src/playground/bot-api/errors.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { register } from "../support/registration.js";

/** The bot's HTTP client goes through the send budget (`src/delivery/budget/http-client.ts`). */
describe("the bot's calls through the send budget", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("counts each message once, inside conversations too (their replayed calls are not sends)", async () => {
    h = await createHarness();
    await register(h, "telegram", newUser());
    const sends = await h.app.deps.metrics.registry.getSingleMetric("hamdel_sends_total")!.get();
    const counted = sends.values.reduce((n, v) => n + v.value, 0);
    expect(counted).toBe(h.sim.bot(TOKENS.telegram).sentAt.length);
    expect(counted).toBeGreaterThan(10);
  });

  it("a 429 to a reply pauses the bot's other lanes; the reply is sent again after retry_after", async () => {
    h = await createHarness();
    const person = newUser();
    h.sim.openChat(TOKENS.telegram, person);
    h.sim.failNext(TOKENS.telegram, "sendMessage", tooManyRequests(1));
    const asked = Date.now();
    const replying = h.say("telegram", person, "/help");
    // Once the 429 is in, a push (another lane, another chat) waits for the same pause.
    while (h.sim.calls.filter((c) => c.method === "sendMessage").length === 0)
      await new Promise((r) => setTimeout(r, 5));
    await h.app.deps.budget.acquire("telegram", "urgent", 42);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(900);
    expect((await replying).length).toBeGreaterThan(0);
    const limited = await h.app.deps.metrics.registry.getSingleMetric("hamdel_rate_limited_total")!.get();
    expect(limited.values).toEqual([
      expect.objectContaining({ labels: { platform: "telegram", lane: "reply" }, value: 1 }),
    ]);
  });

  it("reads Bale's older rate-limit text («bot limit exceed») as a 429", async () => {
    h = await createHarness();
    const person = newUser();
    h.sim.openChat(TOKENS.bale, person);
    h.sim.failNext(TOKENS.bale, "sendMessage", new ApiFault(400, "Bad Request: bot limit exceed", { retry_after: 1 }));
    const asked = Date.now();
    const replying = h.say("bale", person, "/help");
    while (h.sim.calls.filter((c) => c.method === "sendMessage").length === 0)
      await new Promise((r) => setTimeout(r, 5));
    await h.app.deps.budget.acquire("bale", "bulk");
    expect(Date.now() - asked).toBeGreaterThanOrEqual(900);
    await replying;
  });
});
