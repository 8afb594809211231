import { basename, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startBotApiServer, type RunningBotApi } from "../../src/playground/bot-api/index.js";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { TELEGRAM_TOKEN, tempDir } from "../support/config.js";
import { hasRedisServer, privateRedis } from "../support/faults.js";
import { newUser } from "../support/harness.js";
import { freePort, personInDataDir, startHamdel, stopHamdel, waitFor, type Running } from "../support/process.js";

/**
 * Crashes of the real process (`kill -9`): mid-registration and
 * mid-broadcast. Whatever was acknowledged survives; the rest resumes.
 */
describe("kill -9 of the real process", () => {
  let api: RunningBotApi;
  let running: Running | undefined;
  beforeAll(async () => {
    api = await startBotApiServer(createLogger("silent"));
    api.sim.addBot(TELEGRAM_TOKEN, "telegram");
  });
  afterEach(() => stopHamdel(running));
  afterAll(() => api.close());

  /** Starts the process on a data folder; a restart on the same folder shares its Redis keys too. */
  const start = async (dataDir: string, env: Record<string, string> = {}) =>
    (running = startHamdel({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      DATA_DIR: dataDir,
      REDIS_PREFIX: `test-${basename(dataDir)}:`,
      PORT: String(await freePort()),
      ...env,
    }));
  /**
   * Webhook mode, as in production: the platform keeps an update until the
   * webhook answers it, and the process answers only once it is handled, so
   * an update being handled at the instant of a crash is sent again. (Long
   * polling with the runner confirms updates as it fetches ahead: see
   * docs/operations.md.)
   */
  const startWebhook = async (dataDir: string) => {
    const port = await freePort();
    return start(dataDir, {
      BOT_MODE: "webhook",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      WEBHOOK_SECRET: "faults-test-secret-0123456789",
      PORT: String(port),
    });
  };
  const crash = async () => {
    running!.child.kill("SIGKILL");
    await running!.exited;
  };
  const textsOf = (userId: number) => api.sim.botMessages(TELEGRAM_TOKEN, userId).map((m) => m.text ?? "");
  const count = (userId: number, text: string) => textsOf(userId).filter((t) => t.includes(text)).length;
  const waitText = (userId: number, text: string, times = 1) =>
    waitFor(`«${text}» ×${times}`, () => (count(userId, text) >= times ? true : undefined), 20_000);
  const press = async (userId: number, user: ReturnType<typeof newUser>, data: string) => {
    const message = await waitFor(`button ${data}`, () =>
      api.sim
        .botMessages(TELEGRAM_TOKEN, userId)
        .reverse()
        .find((m) => JSON.stringify(m.reply_markup ?? {}).includes(`"${data}"`)),
    );
    api.sim.press(TELEGRAM_TOKEN, user, message.message_id, data);
  };

  it("mid-registration (webhook): the conversation goes on after a restart, no answer lost", async () => {
    const dataDir = tempDir();
    const user = newUser("مهسا");
    await startWebhook(dataDir);
    api.sim.sendText(TELEGRAM_TOKEN, user, "/start");
    await press(user.id, user, "r:consent:yes");
    await waitText(user.id, "نام و نام خانوادگی");
    api.sim.sendText(TELEGRAM_TOKEN, user, "مهسا نوری");
    await waitText(user.id, "شماره همراه خود را");

    await crash();
    // Sent while the process is down: it waits at the platform, as a real update would.
    api.sim.sendContact(TELEGRAM_TOKEN, user, "+989123334455");
    await startWebhook(dataDir);
    // No /start: the next answer continues the same conversation.
    await waitText(user.id, "کد ملی ۱۰ رقمی");
    // The prompt shows before the webhook is answered (the state is saved after it): a crash in between would have
    // the platform send the contact again, and the prompt come twice. Wait for the answer, so that the contact's
    // count below says what it means.
    await waitFor("the contact acknowledged", () =>
      api.sim.bot(TELEGRAM_TOKEN).updates.length === 0 ? true : undefined,
    );
    api.sim.sendText(TELEGRAM_TOKEN, user, "0012345679");
    // Killed right as the answer arrives: handled before the crash, or after it when the platform sends it again.
    await crash();
    await startWebhook(dataDir);
    await waitText(user.id, "سال تولد خود را");
    await new Promise((r) => setTimeout(r, 1500));
    // (The consent text also names these fields; the prompts are counted.) The contact sent while the process was
    // down was taken once. The answer sent at the crash is taken at least once: if the process died after sending the
    // next prompt but before answering the webhook, the platform sends the update again and the prompt comes twice —
    // never a lost answer, never a third time.
    expect(count(user.id, "کد ملی ۱۰ رقمی")).toBe(1);
    const prompts = count(user.id, "سال تولد خود را");
    expect(prompts, JSON.stringify(textsOf(user.id), null, 1)).toBeGreaterThanOrEqual(1);
    expect(prompts).toBeLessThanOrEqual(2);
    running!.child.kill("SIGTERM");
    expect(await running!.exited).toBe(0);
    const person = await personInDataDir(dataDir, { platform: "telegram", userId: String(user.id) });
    const store = openSqliteStore(
      dataDir,
      new PiiCipher(resolvePiiKey(undefined, join(dataDir, "pii.key"), () => undefined)),
    );
    try {
      expect(await store.people.getDraft(person!.id)).toMatchObject({
        firstName: "مهسا",
        lastName: "نوری",
        phone: "09123334455",
        nationalId: "0012345679",
      });
    } finally {
      await store.close();
    }
  }, 90_000);

  it("mid-broadcast: after the restart every recipient gets the message, at most the last moments twice", async () => {
    const dataDir = tempDir();
    const store = openSqliteStore(
      dataDir,
      new PiiCipher(resolvePiiKey(undefined, join(dataDir, "pii.key"), () => undefined)),
    );
    const users = Array.from({ length: 80 }, (_, i) => newUser(`v${i}`));
    for (const user of users) {
      api.sim.openChat(TELEGRAM_TOKEN, user);
      const { person } = await store.people.ensure({
        platform: "telegram",
        userId: String(user.id),
        chatId: String(user.id),
      });
      await store.people.update(person.id, { registeredAt: new Date(), province: "golestan" });
    }
    const { broadcast } = await createBroadcast(store, {
      text: "یادآور نذر خدمت",
      segment: {},
      urgent: true,
      notBefore: new Date(0),
      createdBy: null,
    });
    await store.close();
    const received = () => users.filter((u) => count(u.id, "یادآور نذر خدمت") > 0).length;

    await start(dataDir, { TELEGRAM_BROADCAST_RATE: "20", DELIVERY_LEASE_SECONDS: "2" });
    await waitFor("some sent", () => (received() >= 20 ? true : undefined), 30_000);
    await crash();
    const atCrash = received();
    expect(atCrash).toBeLessThan(users.length);

    await start(dataDir, { TELEGRAM_BROADCAST_RATE: "20", DELIVERY_LEASE_SECONDS: "2" });
    await waitFor("all sent", () => (received() === users.length ? true : undefined), 60_000);
    running!.child.kill("SIGTERM");
    await running!.exited;
    const copies = users.map((u) => count(u.id, "یادآور نذر خدمت"));
    expect(copies.every((c) => c >= 1)).toBe(true);
    // Sends in flight or since the last settle may go twice (at 20/s: about a second's worth); never more.
    expect(copies.filter((c) => c > 1).length).toBeLessThanOrEqual(20);
    expect(Math.max(...copies)).toBeLessThanOrEqual(2);
    const after = openSqliteStore(
      dataDir,
      new PiiCipher(resolvePiiKey(undefined, join(dataDir, "pii.key"), () => undefined)),
    );
    try {
      expect(await after.deliveries.progress(broadcast.id)).toMatchObject({ sent: users.length, pending: 0 });
    } finally {
      await after.close();
    }
  }, 120_000);

  it.skipIf(!hasRedisServer())(
    "Redis stopped and started again under traffic: every message answered, the process never falls over",
    async () => {
      const redis = await privateRedis();
      try {
        await start(tempDir(), { REDIS_URL: redis.url });
        const users = Array.from({ length: 12 }, (_, i) => newUser(`r${i}`));
        let sent = 0;
        /** Every user sends /help; waits until each has one more answer. */
        const round = async () => {
          const before = users.map((u) => textsOf(u.id).length);
          for (const u of users) api.sim.sendText(TELEGRAM_TOKEN, u, "/help");
          sent += users.length;
          await waitFor("every user answered", () =>
            users.every((u, i) => textsOf(u.id).length > before[i]!) ? true : undefined,
          );
        };
        await round();
        await redis.kill();
        for (let i = 0; i < 3; i++) await round();
        await redis.start();
        await round();
        await waitFor("back on Redis", () => (running!.output().includes("redis is back") ? true : undefined));
        for (let i = 0; i < 2; i++) await round();
        expect(running!.child.exitCode).toBeNull();
        expect(users.reduce((n, u) => n + textsOf(u.id).length, 0)).toBe(sent);
        expect(running!.output()).toContain("redis unavailable");
        const port = /"port":(\d+)/.exec(running!.output())![1];
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(await ready.json()).toMatchObject({ status: "ready" });
      } finally {
        await redis.kill();
      }
    },
    60_000,
  );
});
