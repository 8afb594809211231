import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startBotApiServer, type RunningBotApi } from "../../src/playground/bot-api/index.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, tempDir } from "../support/config.js";
import { newUser, TOKENS } from "../support/harness.js";
import { freePort, startHamdel, stopHamdel, waitFor, withDataDir, type Running } from "../support/process.js";
import type { SimUser } from "../../src/playground/bot-api/simulator.js";

/**
 * The real process over HTTP against the strict Bale persona (numeric phones,
 * no membership updates, no command menu, stub edits, 403 for a bad token,
 * Bale's error texts): registration by a shared contact, a Telegram account
 * linked to it, a broadcast to everyone, and a token revoked mid-broadcast.
 */
describe("Bale as reported, end to end", () => {
  let api: RunningBotApi;
  let running: Running | undefined;
  const dataDir = tempDir();

  beforeAll(async () => {
    api = await startBotApiServer(createLogger("silent"));
    api.sim.addBot(TELEGRAM_TOKEN, "telegram");
    api.sim.addBot(BALE_TOKEN, "bale");
  });
  afterEach(() => stopHamdel(running));
  afterAll(() => api.close());

  const start = async () => {
    running = startHamdel({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      BALE_BOT_TOKEN: BALE_TOKEN,
      BALE_API_ROOT: api.apiRoot,
      DATA_DIR: dataDir,
      REDIS_PREFIX: `test-${randomUUID()}:`,
      BALE_SEND_RATE: "200",
      BALE_BROADCAST_RATE: "200",
      // The token pause is 30 s by default; the same behaviour, waited out faster.
      TOKEN_PAUSE_SECONDS: "3",
      PORT: String(await freePort()),
    });
    await waitFor("hamdel up", () => running!.output().includes("hamdel is up") || undefined, 20_000);
  };
  const said = (platform: "telegram" | "bale", user: SimUser, text: string) =>
    waitFor(
      `${platform}: «${text}»`,
      () => api.sim.botMessages(TOKENS[platform], user.id).some((m) => m.text?.includes(text)) || undefined,
    );
  const press = async (platform: "telegram" | "bale", user: SimUser, data: string) => {
    const message = await waitFor(`button ${data}`, () =>
      api.sim
        .botMessages(TOKENS[platform], user.id)
        .reverse()
        .find((m) => JSON.stringify(m.reply_markup ?? {}).includes(`"${data}"`)),
    );
    api.sim.press(TOKENS[platform], user, message.message_id, data);
  };

  it("registers on Bale by a shared contact, and links a Telegram account by sharing the same number", async () => {
    await start();
    const user = newUser("مهسا");
    const sim = api.sim;
    /** Consent, name, and the phone shared from the platform. */
    const upToPhone = async (platform: "telegram" | "bale") => {
      sim.sendText(TOKENS[platform], user, "/start");
      await press(platform, user, "r:consent:yes");
      await said(platform, user, "نام و نام خانوادگی");
      sim.sendText(TOKENS[platform], user, "مهسا نوری");
      await said(platform, user, "شماره همراه");
      // Bale's persona sends the number as a JSON number over HTTP.
      sim.sendContact(TOKENS[platform], user, "+989123334455");
    };
    await upToPhone("bale");
    await said("bale", user, "کد ملی");
    sim.sendText(TOKENS.bale, user, "0012345679");
    await press("bale", user, "r:dec:1360");
    await press("bale", user, "r:yr:1368");
    await press("bale", user, "r:g:female");
    await press("bale", user, "r:p:golestan");
    await press("bale", user, "r:c:gorgan");
    await said("bale", user, "محله");
    sim.sendText(TOKENS.bale, user, "شهرک بهاران");
    await press("bale", user, "r:s:infant_care");
    await press("bale", user, "r:sd");
    // «مادریار» is ticked already (infant care suggests it).
    await press("bale", user, "r:rd");
    await press("bale", user, "r:ag");
    await press("bale", user, "r:a:sat.morning");
    await press("bale", user, "r:h:4");
    await said("bale", user, "کد داوطلبی");
    // Bale was never asked for a command menu.
    expect(sim.calls.filter((c) => c.token === BALE_TOKEN && c.method === "setMyCommands")).toEqual([]);

    // The same person on Telegram: sharing the same number offers the link.
    await upToPhone("telegram");
    await said("telegram", user, "پیش‌تر در بله ثبت‌نام شده است");
    await press("telegram", user, "r:link:yes");
    await said("telegram", user, "HM-");
  }, 60_000);

  it("a broadcast reaches everyone on Bale; a token revoked in the middle flips nobody, and sending resumes", async () => {
    const people = Array.from({ length: 30 }, (_, i) => newUser(`v${i}`));
    await withDataDir(dataDir, async (store) => {
      for (const user of people) {
        api.sim.openChat(TOKENS.bale, user);
        const { person } = await store.people.ensure({
          platform: "bale",
          userId: String(user.id),
          chatId: String(user.id),
        });
        await store.people.update(person.id, { registeredAt: new Date(), province: "qom" });
      }
    });
    await start();
    let broadcastId = "";
    await withDataDir(dataDir, async (store) => {
      broadcastId = (
        await createBroadcast(store, {
          text: "نذر خدمت",
          segment: { provinces: ["qom"] },
          urgent: true,
          notBefore: new Date(0),
          createdBy: null,
        })
      ).broadcast.id;
    });
    const got = () =>
      people.filter((u) => api.sim.botMessages(TOKENS.bale, u.id).some((m) => m.text === "نذر خدمت")).length;
    await waitFor("the first messages", () => (got() >= 3 ? true : undefined), 20_000);
    api.sim.setRevoked(BALE_TOKEN, true);
    await waitFor(
      "the refusal noticed",
      () => running!.output().includes("refuses the bot's token") || undefined,
      20_000,
    );
    const stalled = got();
    await new Promise((r) => setTimeout(r, 1000));
    expect(got()).toBe(stalled);
    api.sim.setRevoked(BALE_TOKEN, false);
    // Deliveries wait out the pause (TOKEN_PAUSE_SECONDS) and go on.
    await waitFor("everyone", () => (got() === people.length ? true : undefined), 60_000);
    await stopHamdel(running, "SIGTERM");
    await withDataDir(dataDir, async (store) => {
      for (const user of people) {
        const p = await store.people.findByIdentity({ platform: "bale", userId: String(user.id) });
        expect(p!.identities[0]!.reachable).toBe(true);
      }
      expect(await store.deliveries.progress(broadcastId)).toMatchObject({
        sent: people.length,
        unreachable: 0,
        pending: 0,
      });
    });
  }, 120_000);
});
