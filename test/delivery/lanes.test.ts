import { afterEach, describe, expect, it } from "vitest";
import { createDeliveryEngine } from "../../src/delivery/index.js";
import { createLogger } from "../../src/logger.js";
import { tooManyRequests } from "../../src/playground/bot-api/errors.js";
import { densestWindow } from "../../src/playground/bot-api/simulator.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { createHarness, newUser, simulatorFetch, TOKENS, type Harness } from "../support/harness.js";

const logger = createLogger("silent");

/**
 * The bot's replies and the delivery engine's broadcasts share one send
 * budget per token (the app's): replies first, and a 429 holds every lane.
 */
describe("one send budget for replies and broadcasts", () => {
  let h: Harness;
  let stopEngine: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stopEngine?.();
    await h.close();
  });

  async function setup(rate: number, recipients: number) {
    h = await createHarness({ env: { TELEGRAM_SEND_RATE: String(rate) } });
    for (let i = 0; i < recipients; i++) {
      const user = newUser(`v${i}`);
      h.sim.openChat(TOKENS.telegram, user);
      const { person } = await h.app.deps.store.people.ensure({
        platform: "telegram",
        userId: String(user.id),
        chatId: String(user.id),
      });
      await h.app.deps.store.people.update(person.id, { registeredAt: new Date(), province: "golestan" });
    }
    const { broadcast } = await createBroadcast(h.app.deps.store, {
      text: "یادآور",
      segment: { platforms: ["telegram"] },
      urgent: false,
      notBefore: new Date(0),
      createdBy: null,
    });
    const { engine, close } = createDeliveryEngine(h.config, h.app.deps.store, logger, {
      fetch: simulatorFetch(h.sim),
      budget: h.app.deps.budget,
      idleMs: 5,
      // Small batches: stopping waits only for the batch in flight.
      batchSize: 10,
    });
    stopEngine = close;
    return { broadcast, engine };
  }

  const sent = () => h.sim.calls.filter((c) => c.token === TOKENS.telegram && c.method === "sendMessage");
  const bulkSent = () => sent().filter((c) => c.params.text === "یادآور").length;

  it("answers people while a broadcast runs at the full rate, without waiting behind it", async () => {
    const { broadcast, engine } = await setup(20, 100);
    engine.start();
    await new Promise((r) => setTimeout(r, 1200));
    const people = Array.from({ length: 5 }, () => newUser("پرسنده"));
    for (const p of people) h.sim.openChat(TOKENS.telegram, p);
    const latencies: number[] = [];
    for (const p of people) {
      const t = Date.now();
      const replies = await h.say("telegram", p, "/help");
      latencies.push(Date.now() - t);
      expect(replies.length).toBeGreaterThan(0);
    }
    // At 20/s a slot frees every 50 ms or so: a reply waits for one, never for the 100-message broadcast.
    expect(Math.max(...latencies)).toBeLessThan(500);
    expect((await h.app.deps.store.deliveries.progress(broadcast.id)).pending).toBeGreaterThan(30);
    // Together they never pass the rate.
    expect(densestWindow(h.sim.bot(TOKENS.telegram).sentAt)).toBeLessThanOrEqual(20);
    const metrics = await h.app.deps.metrics.registry.getSingleMetric("hamdel_sends_total")!.get();
    const lanes = Object.fromEntries(metrics.values.map((v) => [v.labels.lane, v.value]));
    expect(lanes.reply).toBeGreaterThanOrEqual(5);
    expect(lanes.bulk).toBeGreaterThan(10);
    const waited = await h.app.deps.metrics.registry.getSingleMetric("hamdel_send_wait_seconds_total")!.get();
    expect(waited.values.find((v) => v.labels.lane === "bulk")!.value).toBeGreaterThan(0);
  });

  it("a 429 to the broadcast holds the replies too; then replies go first and the broadcast backs off", async () => {
    const { engine } = await setup(40, 120);
    h.sim.failNext(TOKENS.telegram, "sendMessage", tooManyRequests(1));
    const person = newUser("پرسنده");
    h.sim.openChat(TOKENS.telegram, person);
    engine.start();
    const { waitFor } = await import("../support/process.js");
    await waitFor("the 429", () => (sent().length >= 1 ? true : undefined), 5000);
    const limitedAt = Date.now();
    const replies = await h.say("telegram", person, "/help");
    const waited = Date.now() - limitedAt;
    expect(replies.length).toBeGreaterThan(0);
    // retry_after 1 s: the reply, in another lane and to another chat, waited for it too.
    expect(waited).toBeGreaterThanOrEqual(850);
    const after = sent().slice(1);
    // The first message after the pause is the reply.
    expect(String(after[0]!.params.chat_id)).toBe(String(person.id));
    // The broadcast came back at about half its rate (20 of 40, recovering over 30 s), and the reply: not 40.
    const times = h.sim.bot(TOKENS.telegram).sentAt;
    const resumed = times[0]!;
    await new Promise((r) => setTimeout(r, 1300));
    const firstSecond = h.sim.bot(TOKENS.telegram).sentAt.filter((t) => t >= resumed && t < resumed + 1000);
    expect(firstSecond.length).toBeLessThanOrEqual(24);
    expect(firstSecond.length).toBeGreaterThanOrEqual(10);
    expect(bulkSent()).toBeGreaterThan(1);
    const rl = await h.app.deps.metrics.registry.getSingleMetric("hamdel_rate_limited_total")!.get();
    expect(rl.values).toEqual([expect.objectContaining({ labels: { platform: "telegram", lane: "bulk" }, value: 1 })]);
  });
});
