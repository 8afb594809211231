import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSendBudget } from "../../src/delivery/budget/index.js";
import { createDeliveryEngine } from "../../src/delivery/index.js";
import { OPT_OUT_DATA } from "../../src/domain/callback-data.js";
import { createLogger } from "../../src/logger.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import { ApiFault } from "../../src/playground/bot-api/errors.js";
import { densestWindow } from "../../src/playground/bot-api/simulator.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { fakeClock } from "../support/clock.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { createHarness, newUser, simulatorFetch, TOKENS, type Harness } from "../support/harness.js";

const logger = createLogger("silent");

describe("delivery engine", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({
      config: testConfig({
        TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
        BALE_BOT_TOKEN: BALE_TOKEN,
        TELEGRAM_BROADCAST_RATE: "1000",
        BALE_BROADCAST_RATE: "1000",
      }),
    });
  });
  afterEach(() => h.close());

  /** Registered volunteers with open chats, directly in the store. */
  async function volunteers(n: number, platform: Platform = "telegram", patch = {}) {
    const users = [];
    for (let i = 0; i < n; i++) {
      const user = newUser(`v${i}`);
      h.sim.openChat(TOKENS[platform], user);
      const { person } = await h.app.deps.store.people.ensure({
        platform,
        userId: String(user.id),
        chatId: String(user.id),
      });
      await h.app.deps.store.people.update(person.id, { registeredAt: new Date(), province: "golestan", ...patch });
      users.push(user);
    }
    return users;
  }

  const engine = (over: Parameters<typeof createDeliveryEngine>[3] = {}, config = h.config) =>
    createDeliveryEngine(config, h.app.deps.store, logger, {
      fetch: simulatorFetch(h.sim),
      idleMs: 5,
      optOutLabel: "stop",
      ...over,
    });

  /** Queues a broadcast to everyone, sendable at once. */
  const queue = (text: string, urgent: boolean) =>
    createBroadcast(h.app.deps.store, { text, segment: {}, urgent, notBefore: new Date(0), createdBy: null });

  const sends = (platform: Platform = "telegram") =>
    h.sim.calls.filter((c) => c.token === TOKENS[platform] && c.method === "sendMessage");

  /** A time of day in Tehran outside quiet hours (12:00). */
  const noon = new Date("2026-11-25T08:30:00Z");

  it("sends once to every recipient of the segment, with the opt-out button, and finishes", async () => {
    const users = await volunteers(5);
    await volunteers(2, "bale", { province: "kermanshah" });
    const { broadcast, queued } = await createBroadcast(h.app.deps.store, {
      text: "پویش سلام محله",
      segment: { provinces: ["golestan"] },
      urgent: false,
      notBefore: new Date(0),
      createdBy: null,
    });
    expect(queued).toBe(5);
    const { engine: e, close } = engine();
    await e.drain(broadcast.id);
    await close();
    expect(
      sends()
        .map((c) => Number(c.params.chat_id))
        .sort(),
    ).toEqual(users.map((u) => u.id).sort());
    expect(sends("bale")).toEqual([]);
    expect(sends()[0]!.params.reply_markup).toMatchObject({ inline_keyboard: [[{ callback_data: OPT_OUT_DATA }]] });
    expect(await h.app.deps.store.deliveries.progress(broadcast.id)).toMatchObject({ sent: 5, pending: 0 });
    expect((await h.app.deps.store.deliveries.getBroadcast(broadcast.id))!.status).toBe("done");
  });

  it("two engines at once send each message exactly once", async () => {
    const users = await volunteers(40);
    const { broadcast } = await queue("x", true);
    const a = engine({ batchSize: 7, owner: "a" });
    const b = engine({ batchSize: 7, owner: "b" });
    await Promise.all([a.engine.drain(broadcast.id), b.engine.drain(broadcast.id)]);
    await Promise.all([a.close(), b.close()]);
    const chats = sends().map((c) => Number(c.params.chat_id));
    expect(chats).toHaveLength(40);
    expect(new Set(chats).size).toBe(40);
    expect(new Set(chats)).toEqual(new Set(users.map((u) => u.id)));
  });

  it("waits out 429, marks blocked users unreachable, retries 5xx", async () => {
    const [, blocked] = await volunteers(4);
    const { broadcast } = await queue("x", true);
    h.sim.failNext(
      TOKENS.telegram,
      "sendMessage",
      new ApiFault(429, "Too Many Requests: retry after 1", { retry_after: 1 }),
    );
    h.sim.setBlocked(TOKENS.telegram, blocked!.id, true);
    const { engine: e, close } = engine({ maxAttempts: 3, concurrency: 1 });
    const started = Date.now();
    let injected = false;
    await e.drain(broadcast.id, () => {
      // After the first batch (and its 429), two 5xx answers; three attempts survive them.
      if (!injected) h.sim.failNext(TOKENS.telegram, "sendMessage", new ApiFault(502, "Bad Gateway"), 2);
      injected = true;
    });
    await close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await h.app.deps.store.deliveries.progress(broadcast.id)).toMatchObject({
      sent: 3,
      unreachable: 1,
      failed: 0,
      pending: 0,
    });
    const person = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(blocked!.id) });
    expect(person!.identities[0]!.reachable).toBe(false);
    expect(await h.app.deps.store.people.segment({})).toHaveLength(3);
    const calls = sends().map((c) => Number(c.params.chat_id));
    expect(calls.length).toBe(4 + 1 + 2);
  });

  it("abandons a send the platform does not answer, and sends it on a later attempt", async () => {
    await volunteers(2);
    const { broadcast } = await queue("x", true);
    h.sim.stallNext(TOKENS.telegram, "sendMessage", 10_000);
    const { engine: e, close } = engine({ maxAttempts: 3, concurrency: 1 }, { ...h.config, botApiTimeoutSeconds: 0.3 });
    const started = Date.now();
    await e.drain(broadcast.id);
    await close();
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await h.app.deps.store.deliveries.progress(broadcast.id)).toMatchObject({ sent: 2, failed: 0, pending: 0 });
    // Two recipients, one hung call: three calls in all, each recipient answered once.
    expect(sends()).toHaveLength(3);
  });

  it("gives up after the last attempt and records the reason", async () => {
    await volunteers(1);
    const { broadcast } = await queue("x", true);
    h.sim.failNext(TOKENS.telegram, "sendMessage", new ApiFault(500, "Internal Server Error"), 5);
    const { engine: e, close } = engine({ maxAttempts: 1 });
    await e.drain(broadcast.id);
    await close();
    expect(await h.app.deps.store.deliveries.progress(broadcast.id)).toMatchObject({ failed: 1, sent: 0, pending: 0 });
    expect(sends()).toHaveLength(1);
  });

  it("keeps campaign messages for after quiet hours; urgent ones go at once", async () => {
    await volunteers(3);
    const store = h.app.deps.store;
    const campaign = await queue("campaign", false);
    const urgent = await queue("urgent", true);
    const { engine: e, close } = engine({ quietHours: { from: 22, to: 8 } });
    const lateNight = new Date("2026-11-25T20:00:00Z"); // 23:30 in Tehran
    while ((await e.runOnce(lateNight)) > 0);
    expect(sends().map((c) => c.params.text)).toEqual(["urgent", "urgent", "urgent"]);
    expect(await store.deliveries.progress(campaign.broadcast.id)).toMatchObject({ pending: 3 });
    while ((await e.runOnce(noon)) > 0);
    await close();
    expect(sends().filter((c) => c.params.text === "campaign")).toHaveLength(3);
    expect(sends().find((c) => c.params.text === "urgent")!.params.reply_markup).toBeUndefined();
    void urgent;
  });

  it("a worker that dies holding a batch: another takes it over when the lease lapses, nothing twice", async () => {
    await volunteers(10);
    const store = h.app.deps.store;
    const { broadcast } = await queue("x", true);
    const dead = await store.deliveries.claim("dead-worker", 4, new Date(), 300, { urgentOnly: false });
    expect(dead).toHaveLength(4);
    const { engine: e, close } = engine({ leaseMs: 300 });
    while ((await e.runOnce(noon)) > 0);
    expect(sends()).toHaveLength(6);
    await new Promise((r) => setTimeout(r, 350));
    while ((await e.runOnce(noon)) > 0);
    await close();
    const chats = sends().map((c) => c.params.chat_id);
    expect(chats).toHaveLength(10);
    expect(new Set(chats).size).toBe(10);
    expect(await store.deliveries.progress(broadcast.id)).toMatchObject({ sent: 10, pending: 0 });
  });

  it("never sends one chat more than a message a second, across broadcasts", async () => {
    await volunteers(1);
    for (const text of ["one", "two"])
      await createBroadcast(h.app.deps.store, {
        text,
        segment: {},
        urgent: true,
        notBefore: new Date(0),
        createdBy: null,
      });
    // The platform's pace to one chat (a message a second), kept on a clock that moves only when the budget waits.
    const config = testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, CHAT_SEND_RATE: "1" });
    const clock = fakeClock();
    const budget = createSendBudget(config, { clock });
    const { engine: e, close } = engine({ budget }, config);
    const started = clock.now();
    while ((await e.runOnce(noon)) > 0);
    await close();
    await budget.close();
    expect(sends().map((c) => c.params.text)).toEqual(["one", "two"]);
    expect(clock.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("pushes one-to-one notices through the same engine, to every reachable identity", async () => {
    const [user] = await volunteers(1);
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user!.id) }))!;
    const baleUser = newUser();
    h.sim.openChat(TOKENS.bale, baleUser);
    await h.app.deps.store.people.linkIdentity(person.id, {
      platform: "bale",
      userId: String(baleUser.id),
      chatId: String(baleUser.id),
    });
    const { pushTo } = await import("../../src/services/broadcast.js");
    const { queued } = await pushTo(h.app.deps.store, person.id, "مرکزی نزدیک شما به کمک نیاز دارد");
    expect(queued).toBe(2);
    const { engine: e, close } = engine();
    // Urgent: goes out in quiet hours too.
    while ((await e.runOnce(new Date("2026-11-25T20:00:00Z"))) > 0);
    await close();
    expect(sends("telegram")).toHaveLength(1);
    expect(sends("bale")).toHaveLength(1);
  });

  it("keeps to the configured rate: never more than it in any second", async () => {
    await volunteers(50);
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_BROADCAST_RATE: "40",
      DATA_DIR: h.config.dataDir,
    });
    const { broadcast } = await queue("x", true);
    const { engine: e, close } = engine({}, config);
    const started = Date.now();
    await e.drain(broadcast.id);
    await close();
    // 50 sends at 40/s: the last ten wait for the first second to pass.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sends()).toHaveLength(50);
    expect(densestWindow(h.sim.bots.get(TOKENS.telegram)!.sentAt)).toBeLessThanOrEqual(40);
  });

  it("the opt-out button under a campaign message turns campaign reminders off", async () => {
    const user = newUser();
    await h.say("telegram", user, "/start");
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) }))!;
    await h.app.deps.store.people.update(person.id, { registeredAt: new Date() });
    const { broadcast } = await queue("روز ۷ از ۳۰", false);
    const { engine: e, close } = engine();
    while ((await e.runOnce(noon)) > 0);
    await close();
    expect((await h.app.deps.store.deliveries.progress(broadcast.id)).sent).toBe(1);
    expect(await h.answerTo("telegram", user, h.last("telegram", user).message_id, OPT_OUT_DATA)).toMatchObject({
      show_alert: true,
    });
    expect((await h.app.deps.store.people.get(person.id))!.notify).toEqual({ campaigns: false, matches: true });
    expect(await h.app.deps.store.people.segment({})).toEqual([]);
  });
});
