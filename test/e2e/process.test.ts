import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startBotApiServer, type RunningBotApi } from "../../src/playground/bot-api/index.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, tempDir } from "../support/config.js";
import { newUser, TOKENS } from "../support/harness.js";
import { addCampaigns, importSampleData } from "../support/sample.js";
import {
  freePort,
  personInDataDir,
  withDataDir,
  startHamdel,
  stopHamdel,
  waitFor,
  type Running,
} from "../support/process.js";

/**
 * The real process (`src/main.ts`), talking over HTTP to a local
 * Bot-API-compatible server, with nothing but DATA_DIR (and Redis when the
 * run has REDIS_URL).
 */

describe("the real process over HTTP", () => {
  let api: RunningBotApi;
  let running: Running | undefined;
  const dataDir = tempDir();
  const redisPrefix = `test-${randomUUID()}:`;

  beforeAll(async () => {
    await withDataDir(dataDir, async (store) => {
      await importSampleData(store);
      await addCampaigns(store, "salam-mahalle");
    });
    api = await startBotApiServer(createLogger("silent"));
    api.sim.addBot(TELEGRAM_TOKEN, "telegram");
    api.sim.addBot(BALE_TOKEN, "bale");
  });
  afterEach(() => stopHamdel(running));
  afterAll(async () => {
    await api.close();
  });

  const baseEnv = () => ({
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    BALE_BOT_TOKEN: BALE_TOKEN,
    BALE_API_ROOT: api.apiRoot,
    DATA_DIR: dataDir,
    REDIS_PREFIX: redisPrefix,
  });

  const lastText = (platform: "telegram" | "bale", userId: number, after: number) =>
    api.sim.botMessages(TOKENS[platform], userId).slice(after).at(-1)?.text;
  /** The first bot message after `after` that contains `text`. */
  const replyWith = (platform: "telegram" | "bale", userId: number, after: number, text: string) =>
    waitFor(
      `${platform}: a reply with ${text}`,
      () =>
        api.sim
          .botMessages(TOKENS[platform], userId)
          .slice(after)
          .find((m) => m.text?.includes(text))?.text,
    );

  it("polling: answers /start in Persian on both platforms, survives kill -9, stops on SIGTERM", async () => {
    const user = newUser("سارا");
    running = startHamdel({ ...baseEnv(), PORT: String(await freePort()) });
    for (const platform of ["telegram", "bale"] as const) {
      api.sim.sendText(TOKENS[platform], user, "/start KSH-POS-01");
      const reply = await replyWith(platform, user.id, 0, "سلام سارا");
      expect(reply).toContain("KSH-POS-01");
      // /start also opens the registration, at its consent step.
      await replyWith(platform, user.id, 0, "اگر موافقید");
    }
    // Pause the registration, then choose English through the /language conversation on Telegram.
    api.sim.sendText(TOKENS.telegram, user, "/cancel");
    await replyWith("telegram", user.id, 0, "ثبت‌نام متوقف شد");
    api.sim.sendText(TOKENS.telegram, user, "/language");
    const prompt = await waitFor("language prompt", () =>
      api.sim
        .botMessages(TELEGRAM_TOKEN, user.id)
        .find((m) => JSON.stringify(m.reply_markup ?? {}).includes("lang:en")),
    );
    api.sim.press(TELEGRAM_TOKEN, user, prompt.message_id, "lang:en");
    await waitFor("language changed", () => (lastText("telegram", user.id, 0)?.includes("English") ? true : undefined));

    running.child.kill("SIGKILL");
    await running.exited;
    running = startHamdel({ ...baseEnv(), PORT: String(await freePort()) });
    const before = api.sim.botMessages(TELEGRAM_TOKEN, user.id).length;
    api.sim.sendText(TELEGRAM_TOKEN, user, "/start");
    await replyWith("telegram", user.id, before, "good to see you again");
    await replyWith("telegram", user.id, before, "If you agree");

    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain("hamdel stopped");
    expect(running.output()).not.toContain("سارا");
  });

  it("webhook: the platform pushes updates to the process, secrets checked per platform", async () => {
    const port = await freePort();
    running = startHamdel({
      ...baseEnv(),
      PORT: String(port),
      BOT_MODE: "webhook",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      WEBHOOK_SECRET: "e2e-webhook-secret-0123456789",
    });
    await waitFor("webhooks registered", () =>
      api.sim.bot(TELEGRAM_TOKEN).webhook && api.sim.bot(BALE_TOKEN).webhook ? true : undefined,
    );
    expect(api.sim.bot(TELEGRAM_TOKEN).webhook).toEqual({
      url: `http://127.0.0.1:${port}/webhook/telegram`,
      secret: "e2e-webhook-secret-0123456789",
    });
    expect(api.sim.bot(BALE_TOKEN).webhook).toEqual({
      url: `http://127.0.0.1:${port}/webhook/bale/e2e-webhook-secret-0123456789`,
    });
    const user = newUser("Ali");
    for (const platform of ["telegram", "bale"] as const) {
      api.sim.sendText(TOKENS[platform], user, "/help");
      expect(await waitFor(`${platform} help`, () => lastText(platform, user.id, 0))).toContain("/language");
    }
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
    // Back to polling for any later run against this simulator.
    api.sim.bot(TELEGRAM_TOKEN).webhook = null;
    api.sim.bot(BALE_TOKEN).webhook = null;
  });

  it("completes a registration with the real process, then the profile is in the store", async () => {
    const port = await freePort();
    running = startHamdel({ ...baseEnv(), PORT: String(port) });
    const user = newUser("نرگس");
    const token = BALE_TOKEN;
    const sim = api.sim;
    let seen = 0;
    /** Waits for a bot message (new or edited) containing `text`, after the last one seen. */
    const expectReply = async (text: string) => {
      await waitFor(`a reply containing ${text}`, () => {
        const events = sim.history(token, user.id).filter((m) => m.from.is_bot);
        const hit =
          events.slice(seen).some((m) => m.text?.includes(text)) ||
          events.some((m) => m.edit_date && m.text?.includes(text));
        return hit ? true : undefined;
      });
      seen = sim.history(token, user.id).filter((m) => m.from.is_bot).length;
    };
    const tap = async (data: string, then: string) => {
      const message = await waitFor(`button ${data}`, () =>
        sim
          .botMessages(token, user.id)
          .reverse()
          .find((m) => JSON.stringify(m.reply_markup ?? {}).includes(`"${data}"`)),
      );
      sim.press(token, user, message.message_id, data);
      await expectReply(then);
    };
    /** Presses a toggle and waits until its message shows a tick. */
    const toggle = async (data: string) => {
      const message = await waitFor(`button ${data}`, () =>
        sim.botMessages(token, user.id).find((m) => JSON.stringify(m.reply_markup ?? {}).includes(`"${data}"`)),
      );
      sim.press(token, user, message.message_id, data);
      await waitFor(`a tick for ${data}`, () =>
        JSON.stringify(message.reply_markup).includes("✅") ? true : undefined,
      );
    };
    const say = async (text: string, then: string) => {
      sim.sendText(token, user, text);
      await expectReply(then);
    };
    await say("/start salam-mahalle", "اگر موافقید");
    await tap("r:consent:yes", "نام و نام خانوادگی");
    await say("نرگس رضایی", "شماره همراه");
    sim.sendContact(token, user, "989151112233");
    await expectReply("کد ملی");
    await say("4512345671", "سال تولد");
    await say("1372", "جنسیت");
    await tap("r:g:female", "استان");
    await tap("r:p:khorasan_south", "شهرستان");
    await tap("r:c:birjand", "محله");
    await say("مهرشهر", "چه کارهایی");
    await toggle("r:s:storytelling");
    await tap("r:sd", "نقش");
    // «مربی» is ticked already (storytelling suggests it).
    await tap("r:rd", "زمان");
    // The grid, for a slot no pattern makes up.
    const question = await waitFor("the availability question", () =>
      sim
        .botMessages(token, user.id)
        .reverse()
        .find((m) => JSON.stringify(m.reply_markup ?? {}).includes('"r:ag"')),
    );
    sim.press(token, user, question.message_id, "r:ag");
    await toggle("r:a:mon.afternoon");
    await tap("r:h:4", "ثبت‌نام شما کامل شد");
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);

    const person = await personInDataDir(dataDir, { platform: "bale", userId: String(user.id) });
    expect(person).toMatchObject({
      firstName: "نرگس",
      phone: "09151112233",
      nationalId: "4512345671",
      birthYear: 1372,
      province: "khorasan_south",
      county: "birjand",
      source: "salam-mahalle",
      skills: ["storytelling"],
      roles: ["tutor"],
      availability: { slots: ["mon.afternoon"], hoursPerWeek: 4 },
    });
    expect(person!.volunteerCode).toMatch(/^HM-/);
    expect(running.output()).not.toContain("4512345671");
    expect(running.output()).not.toContain("09151112233");
  });

  it("refuses to start on an invalid setting, naming the key", async () => {
    running = startHamdel({ ...baseEnv(), PORT: "not-a-port" });
    expect(await running.exited).toBe(2);
    expect(running.output()).toMatch(/PORT: expected a port number/);
  });

  it("with no token, starts the playground on PORT and says how to use real tokens", async () => {
    const port = await freePort();
    running = startHamdel({ DATA_DIR: tempDir(), PORT: String(port) });
    await waitFor("playground log", () => (running!.output().includes("playground ready") ? true : undefined));
    expect(running.output()).toContain(`http://localhost:${port}/`);
    expect(running.output()).toContain("TELEGRAM_BOT_TOKEN");
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dir="rtl"');
    const me = await fetch(`http://127.0.0.1:${port}/bot100001:playground-telegram-token/getMe`);
    expect(((await me.json()) as { result: { username: string } }).result.username).toBe("hamdel_telegram_bot");
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
  });
});
