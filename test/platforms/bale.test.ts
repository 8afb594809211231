import { GrammyError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { markdownSafe } from "../../src/platforms/api-guards.js";
import { classify } from "../../src/delivery/classify.js";
import { createDeliveryEngine } from "../../src/delivery/index.js";
import { createLogger } from "../../src/logger.js";
import { capabilitiesOf } from "../../src/platforms/capabilities.js";
import { normalizeUpdate, UNKNOWN_MESSAGE_ID } from "../../src/platforms/normalize.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { createHarness, newUser, simulatorFetch, TOKENS, type Harness } from "../support/harness.js";

const bale = capabilitiesOf("bale");
const telegram = capabilitiesOf("telegram");
const apiError = (code: number, description: string) =>
  new GrammyError("e", { ok: false, error_code: code, description }, "sendMessage", {});

describe("platform input read defensively", () => {
  it("a contact's phone as a number, its user_id as a string or missing", () => {
    const u = normalizeUpdate(
      {
        update_id: 1,
        message: {
          message_id: 1,
          from: { id: "42" },
          chat: { id: "42" },
          contact: { phone_number: 989121234567, user_id: "42" },
        },
      },
      bale,
    ) as unknown as { message: { from: { id: unknown }; chat: { id: unknown }; contact: Record<string, unknown> } };
    expect(u.message.contact).toEqual({ phone_number: "989121234567", user_id: 42 });
    expect([u.message.from.id, u.message.chat.id]).toEqual([42, 42]);
    const missing = normalizeUpdate({ message: { contact: { phone_number: "+98912", user_id: null } } }, bale) as {
      message: { contact: Record<string, unknown> };
    };
    expect(missing.message.contact).toEqual({ phone_number: "+98912" });
    const junk = normalizeUpdate({ message: { contact: { phone_number: { x: 1 }, user_id: "abc" } } }, bale) as {
      message: { contact: Record<string, unknown> };
    };
    expect(junk.message.contact).toEqual({ phone_number: "" });
  });

  it("a press without its message: placed in the presser's chat on Bale, left alone on Telegram", () => {
    const press = () => ({ callback_query: { id: "1", from: { id: 7, first_name: "م" }, data: "r:consent:yes" } });
    const onBale = normalizeUpdate(press(), bale) as {
      callback_query: { message?: { message_id: number; chat: { id: number } } };
    };
    expect(onBale.callback_query.message).toMatchObject({ message_id: UNKNOWN_MESSAGE_ID, chat: { id: 7 } });
    expect(
      (normalizeUpdate(press(), telegram) as { callback_query: { message?: unknown } }).callback_query.message,
    ).toBeUndefined();
  });

  it("errors are read by each platform's rules", () => {
    expect(classify(apiError(403, "Forbidden: bot was blocked by the user"), telegram).type).toBe("unreachable");
    expect(classify(apiError(401, "Unauthorized"), telegram).type).toBe("token_suspect");
    expect(classify(apiError(403, "Forbidden"), bale).type).toBe("token_suspect");
    expect(classify(apiError(404, "Not Found"), bale).type).toBe("token_suspect");
    expect(classify(apiError(400, "Bad Request: no such group or user"), bale).type).toBe("unreachable");
    expect(classify(apiError(400, "bot limit exceed"), bale)).toEqual({ type: "rate_limited", retryAfter: 5 });
    expect(classify(apiError(502, "Bad Gateway"), bale).type).toBe("transient");
  });
});

describe("text for a Markdown-by-default renderer", () => {
  it("keeps * and _ from being read as markup, and leaves links whole", () => {
    expect(markdownSafe("کد HM_7K*3 از *مریم*")).toBe("کد HM＿7K∗3 از ∗مریم∗");
    expect(markdownSafe("https://ble.ir/hamdel_bot?start=inv_ab_cd و _این_")).toBe(
      "https://ble.ir/hamdel_bot?start=inv_ab_cd و ＿این＿",
    );
  });
});

describe("on the strict Bale persona", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({
      config: testConfig({
        TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
        BALE_BOT_TOKEN: BALE_TOKEN,
        BALE_BROADCAST_RATE: "1000",
        ADMIN_IDS: "telegram:9191",
      }),
    });
  });
  afterEach(() => h.close());

  /** A new person on Bale, registering, at the phone step. */
  const atPhoneStep = async () => {
    const user = newUser();
    await h.say("bale", user, "/start");
    await h.tap("bale", user, "r:consent:yes");
    await h.say("bale", user, "مریم احمدی");
    return user;
  };
  /** The draft of a person on Bale. */
  const draftOf = async (user: { id: number }) => {
    const person = await h.app.deps.store.people.findByIdentity({ platform: "bale", userId: String(user.id) });
    return h.app.deps.store.people.getDraft(person!.id);
  };

  it("registers by a shared contact whose number arrives as a JSON number", async () => {
    const user = await atPhoneStep();
    // What the platform sent, as it went over the wire.
    const wire: string[] = [];
    h.sim.on("update", (e: { update: unknown }) => wire.push(JSON.stringify(e.update)));
    expect((await h.contact("bale", user, "+989121234567")).join()).toContain("کد ملی");
    expect(wire.find((w) => w.includes("contact"))).toContain('"phone_number":989121234567');
    expect(await draftOf(user)).toMatchObject({ phone: "09121234567", phoneVerified: true });
  });

  it("a contact without user_id is taken as the sender's number, unverified (it links nothing)", async () => {
    const user = await atPhoneStep();
    // `null`: the contact comes without user_id.
    await h.contact("bale", user, "09121234567", null);
    expect(await draftOf(user)).toMatchObject({ phone: "09121234567", phoneVerified: false });
  });

  it("a button press without its message still answers the step it belongs to", async () => {
    const user = newUser();
    await h.say("bale", user, "/start");
    const bot = h.sim.bot(TOKENS.bale);
    const id = h.sim.press(TOKENS.bale, user, h.last("bale", user).message_id, "r:consent:yes");
    // As laravel-bale documents it may come: without the message it was pressed on.
    delete (bot.updates.at(-1)!.callback_query as { message?: unknown }).message;
    await h.deliver("bale");
    expect(h.texts("bale", user).at(-1)).toContain("نام و نام خانوادگی");
    expect(bot.callbackAnswers.has(id)).toBe(true);
  });

  it("without membership updates, a person marked unreachable is reachable again on their next message", async () => {
    const user = newUser();
    await h.say("bale", user, "/start");
    const ref = { platform: "bale" as const, userId: String(user.id) };
    await h.app.deps.store.people.setReachable(ref, false);
    await h.say("bale", user, "/help");
    const person = await h.app.deps.store.people.findByIdentity(ref);
    expect(person!.identities[0]!.reachable).toBe(true);
  });

  it("what the bot sends on Bale carries no markup characters outside links; Telegram's is untouched", async () => {
    for (const platform of ["bale", "telegram"] as const) {
      const user = { ...newUser(), first_name: "علی_*رضا" };
      await h.say(platform, user, "/start");
      const welcome = h.texts(platform, user)[0]!;
      if (platform === "bale") expect(welcome).toContain("علی＿∗رضا");
      else expect(welcome).toContain("علی_*رضا");
    }
  });

  it("asks no command menu of Bale", async () => {
    const app = h.app;
    await app.start().catch(() => undefined);
    expect(h.sim.calls.filter((c) => c.token === TOKENS.bale && c.method === "setMyCommands")).toEqual([]);
    expect(
      h.sim.calls.filter((c) => c.token === TOKENS.telegram && c.method === "setMyCommands").length,
    ).toBeGreaterThan(0);
  });

  it("a token revoked mid-broadcast flips nobody to unreachable, pauses Bale, and resumes when it works again", async () => {
    const { store } = h.app.deps;
    const users = [];
    for (let i = 0; i < 12; i++) {
      const user = newUser(`v${i}`);
      h.sim.openChat(TOKENS.bale, user);
      const { person } = await store.people.ensure({
        platform: "bale",
        userId: String(user.id),
        chatId: String(user.id),
      });
      await store.people.update(person.id, { registeredAt: new Date() });
      users.push(user);
    }
    const told: string[] = [];
    const { engine, close } = createDeliveryEngine(h.config, store, createLogger("silent"), {
      fetch: simulatorFetch(h.sim),
      idleMs: 5,
      batchSize: 4,
      concurrency: 1,
      tokenPauseMs: 300,
      onToken: (platform, accepted) => told.push(`${platform}:${accepted}`),
    });
    try {
      const { broadcast } = await createBroadcast(store, {
        text: "پیام",
        segment: {},
        urgent: true,
        notBefore: new Date(0),
        createdBy: null,
      });
      await engine.runOnce();
      expect((await store.deliveries.progress(broadcast.id)).sent).toBe(4);
      h.sim.setRevoked(TOKENS.bale, true);
      await engine.runOnce();
      await engine.runOnce();
      expect(told).toEqual(["bale:false"]);
      const everyone = await Promise.all(
        users.map((u) => store.people.findByIdentity({ platform: "bale", userId: String(u.id) })),
      );
      expect(everyone.every((p) => p!.identities.every((i) => i.reachable))).toBe(true);
      expect(await store.deliveries.progress(broadcast.id)).toMatchObject({ sent: 4, unreachable: 0, failed: 0 });
      h.sim.setRevoked(TOKENS.bale, false);
      await new Promise((r) => setTimeout(r, 350));
      for (let i = 0; i < 10 && (await store.deliveries.progress(broadcast.id)).pending > 0; i++) {
        await engine.runOnce();
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await store.deliveries.progress(broadcast.id)).toMatchObject({ sent: 12, pending: 0, unreachable: 0 });
      expect(told).toEqual(["bale:false", "bale:true"]);
    } finally {
      await close();
    }
  });
});

describe("one platform's failure does not stop the other", () => {
  it("Telegram starts and answers while Bale's API is unreachable; Bale starts in the background once it answers", async () => {
    const { createApp } = await import("../../src/app.js");
    const { BotApiSimulator } = await import("../../src/playground/bot-api/index.js");
    const sim = new BotApiSimulator();
    sim.addBot(TELEGRAM_TOKEN, "telegram");
    sim.addBot(BALE_TOKEN, "bale");
    const working = simulatorFetch(sim);
    let baleDown = true;
    const bale: typeof fetch = (input, init) =>
      baleDown ? Promise.reject(new TypeError("fetch failed: ECONNREFUSED")) : working(input, init);
    const app = await createApp(
      testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, BALE_BOT_TOKEN: BALE_TOKEN, BOT_API_TIMEOUT_SECONDS: "1" }),
      { logger: createLogger("silent"), bot: { telegram: { fetch: working }, bale: { fetch: bale } } },
    );
    try {
      const port = await app.start();
      const ready = async () =>
        (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as Record<string, unknown>;
      expect(await ready()).toMatchObject({ status: "degraded", checks: { telegram: "ok", bale: "degraded" } });
      // Telegram answers meanwhile (its runner polls the simulator).
      const user = newUser();
      sim.sendText(TELEGRAM_TOKEN, user, "/help");
      for (let i = 0; i < 100 && sim.botMessages(TELEGRAM_TOKEN, user.id).length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(sim.botMessages(TELEGRAM_TOKEN, user.id).length).toBeGreaterThan(0);
      baleDown = false;
      // Its next try (the API client's own retry, or the background start's) finds it answering.
      for (let i = 0; i < 400 && (await ready()).status !== "ready"; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await ready()).toMatchObject({ status: "ready", checks: { telegram: "ok", bale: "ok" } });
    } finally {
      await app.stop();
    }
  }, 60_000);
});
