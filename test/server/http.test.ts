import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { createLogger } from "../../src/logger.js";
import { BotApiSimulator } from "../../src/playground/bot-api/index.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { newUser, simulatorFetch, TOKENS } from "../support/harness.js";

const SECRET = "s3cret-webhook-token_0123456789";

describe("HTTP server in webhook mode", () => {
  let app: App;
  let sim: BotApiSimulator;
  let base: string;

  beforeEach(async () => {
    sim = new BotApiSimulator();
    sim.addBot(TELEGRAM_TOKEN, "telegram");
    sim.addBot(BALE_TOKEN, "bale");
    const fetch = simulatorFetch(sim);
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      BALE_BOT_TOKEN: BALE_TOKEN,
      BOT_MODE: "webhook",
      PUBLIC_URL: "https://hamdel.example.org/",
      WEBHOOK_SECRET: SECRET,
    });
    app = await createApp(config, { logger: createLogger("silent"), bot: { telegram: { fetch }, bale: { fetch } } });
    base = `http://127.0.0.1:${await app.start()}`;
  });
  afterEach(async () => {
    await app.stop();
  });

  /** A private-chat /start update from a user the simulator knows. */
  const startUpdate = (platform: "telegram" | "bale") => {
    const user = newUser();
    sim.sendText(TOKENS[platform], user, "/start");
    return { user, update: sim.bot(TOKENS[platform]).updates.shift()! };
  };

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("registers each webhook with only the parameters the platform accepts", () => {
    const calls = sim.calls.filter((c) => c.method === "setWebhook");
    expect(calls.find((c) => c.token === TELEGRAM_TOKEN)!.params).toMatchObject({
      url: "https://hamdel.example.org/webhook/telegram",
      secret_token: SECRET,
      allowed_updates: expect.arrayContaining(["message", "callback_query"]),
    });
    const bale = calls.find((c) => c.token === BALE_TOKEN)!.params;
    expect(bale).toEqual({ url: `https://hamdel.example.org/webhook/bale/${SECRET}` });
  });

  it("Telegram: accepts an update with the secret header and answers in Persian", async () => {
    const { user, update } = startUpdate("telegram");
    const res = await post("/webhook/telegram", update, { "x-telegram-bot-api-secret-token": SECRET });
    expect(res.status).toBe(200);
    expect(sim.botMessages(TELEGRAM_TOKEN, user.id).map((m) => m.text)).toEqual([
      expect.stringContaining("همدل"),
      expect.stringContaining("اگر موافقید"),
    ]);
  });

  it("Telegram: refuses a missing or wrong secret header", async () => {
    const { user, update } = startUpdate("telegram");
    expect((await post("/webhook/telegram", update)).status).toBe(401);
    expect((await post("/webhook/telegram", update, { "x-telegram-bot-api-secret-token": "nope" })).status).toBe(401);
    expect(sim.botMessages(TELEGRAM_TOKEN, user.id)).toEqual([]);
  });

  it("Bale: accepts the secret in the path and refuses a wrong one", async () => {
    const { user, update } = startUpdate("bale");
    expect((await post("/webhook/bale/wrong-secret", update)).status).toBe(401);
    expect((await post("/webhook/bale", update)).status).toBe(404);
    expect(sim.botMessages(BALE_TOKEN, user.id)).toEqual([]);
    expect((await post(`/webhook/bale/${SECRET}`, update)).status).toBe(200);
    expect(sim.botMessages(BALE_TOKEN, user.id)[0]!.text).toContain("همدل");
  });

  it("/healthz is up; /readyz follows the store", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: { store: "ok", state: "ok", telegram: "ok", bale: "ok" },
    });
    await app.deps.store.close();
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { checks: Record<string, string> }).checks.store).toMatch(/^down/);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });
});
