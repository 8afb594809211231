import type { Update } from "grammy/types";
import { createApp, type App } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import type { CoordinatorRole } from "../../src/store/port/index.js";
import { BotApiSimulator, type SimMessage, type SimUser } from "../../src/playground/bot-api/index.js";
import { parseForm } from "../../src/playground/bot-api/server.js";
import { ApiFault } from "../../src/playground/bot-api/errors.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "./config.js";

/**
 * A `fetch` that answers Bot API calls from the simulator in-process: the
 * offline way to test bots (every call, including those made inside
 * conversations, goes through it).
 */
export function simulatorFetch(sim: BotApiSimulator): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    // A file a person sent, by its getFile path, as the platform serves it.
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const bytes = sim.fileAt(file[1]!, decodeURIComponent(file[2]!));
      return bytes ? new Response(new Uint8Array(bytes)) : new Response("not found", { status: 404 });
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return new Response("not found", { status: 404 });
    const body = init?.body;
    let params: Record<string, unknown> = {};
    const files = new Map();
    if (typeof body === "string" && body.length > 0) params = JSON.parse(body) as Record<string, unknown>;
    else if (body) {
      // A file upload (sendDocument, sendPhoto): multipart, parsed as the HTTP server parses it.
      const request = new Request(url, { method: "POST", body, headers: init?.headers, duplex: "half" } as RequestInit);
      const bytes = Buffer.from(await request.arrayBuffer());
      await parseForm(request.headers.get("content-type") ?? "", bytes, params as never, files);
    }
    try {
      // Like a real connection: an aborted request (a client timeout) stops waiting for the answer.
      const signal = init?.signal;
      const aborted = new Promise<never>((_, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
      const result = await Promise.race([sim.call(match[1]!, match[2]!, params, files), aborted]);
      return Response.json({ ok: true, result });
    } catch (e) {
      if (e instanceof ApiFault) return Response.json(e.toJSON(), { status: e.errorCode });
      throw e;
    }
  };
}

export const TOKENS: Record<Platform, string> = { telegram: TELEGRAM_TOKEN, bale: BALE_TOKEN };

export interface Harness {
  app: App;
  sim: BotApiSimulator;
  config: Config;
  /** Hands every pending update of a platform to its bot, in order. */
  deliver(platform: Platform): Promise<void>;
  /** The user sends text; the bot handles it. Returns the bot's new messages. */
  say(platform: Platform, user: SimUser, text: string): Promise<string[]>;
  texts(platform: Platform, user: SimUser): string[];
  /** Presses the button with this callback data on the newest bot message that has it. */
  tap(platform: Platform, user: SimUser, data: string): Promise<string[]>;
  /** Shares a contact (the user's own unless `ownerId` says otherwise). */
  contact(platform: Platform, user: SimUser, phone: string, ownerId?: number | null): Promise<string[]>;
  location(platform: Platform, user: SimUser, lat: number, lon: number): Promise<string[]>;
  /** Presses a button on a given message and returns how the bot answered the callback query. */
  answerTo(
    platform: Platform,
    user: SimUser,
    messageId: number,
    data: string,
  ): Promise<Record<string, unknown> | undefined>;
  /** A new user with an open chat who holds a coordinator role. */
  staff(role: CoordinatorRole, scope: string, platform?: Platform): Promise<SimUser>;
  /** The newest visible bot message. */
  last(platform: Platform, user: SimUser): SimMessage;
  /** Interactions the user made (messages, taps, shares) and how many were typed text. */
  counts: { interactions: number; typed: number };
  close(): Promise<void>;
}

/** Builds the real app (both platforms) against an in-process simulator. */
export async function createHarness(
  options: {
    config?: Config;
    /** Extra environment for the default config (both test bots). */
    env?: Record<string, string>;
    sim?: BotApiSimulator;
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const sim = options.sim ?? new BotApiSimulator();
  for (const platform of ["telegram", "bale"] as const)
    if (!sim.bots.has(TOKENS[platform])) sim.addBot(TOKENS[platform], platform);
  const config =
    options.config ?? testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, BALE_BOT_TOKEN: BALE_TOKEN, ...options.env });
  const fetch = simulatorFetch(sim);
  const app = await createApp(config, {
    logger: options.logger ?? createLogger("silent"),
    bot: { telegram: { fetch }, bale: { fetch } },
  });
  for (const bot of app.bots.values()) await bot.init();
  const deliver = async (platform: Platform) => {
    const simBot = sim.bot(TOKENS[platform]);
    const bot = app.bots.get(platform)!;
    while (simBot.updates.length > 0) {
      const update = simBot.updates.shift()!;
      await bot.handleUpdate(update as unknown as Update);
    }
  };
  const texts = (platform: Platform, user: SimUser) =>
    sim.botMessages(TOKENS[platform], user.id).map((m) => m.text ?? m.caption ?? "");
  const counts = { interactions: 0, typed: 0 };
  /** Runs a user action and returns the texts of the bot messages sent or edited meanwhile. */
  const act = async (platform: Platform, user: SimUser, action: () => void) => {
    const token = TOKENS[platform];
    const seen = new Map(sim.botMessages(token, user.id).map((m) => [m.message_id, m.edit_date ?? 0]));
    counts.interactions++;
    action();
    await deliver(platform);
    return sim
      .botMessages(token, user.id)
      .filter((m) => !seen.has(m.message_id) || (m.edit_date ?? 0) !== seen.get(m.message_id))
      .map((m) => m.text ?? "");
  };
  const findButton = (platform: Platform, user: SimUser, data: string) => {
    const messages = sim.botMessages(TOKENS[platform], user.id);
    for (let i = messages.length - 1; i >= 0; i--) {
      const kb = (messages[i]!.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
        ?.inline_keyboard;
      if (kb?.flat().some((b) => b.callback_data === data)) return messages[i]!;
    }
    throw new Error(`no button ${data} in the chat`);
  };
  return {
    app,
    sim,
    config,
    deliver,
    texts,
    counts,
    say(platform, user, text) {
      if (!text.startsWith("/")) counts.typed++;
      return act(platform, user, () => sim.sendText(TOKENS[platform], user, text));
    },
    tap(platform, user, data) {
      const message = findButton(platform, user, data);
      return act(platform, user, () => sim.press(TOKENS[platform], user, message.message_id, data));
    },
    contact(platform, user, phone, ownerId) {
      return act(platform, user, () => sim.sendContact(TOKENS[platform], user, phone, ownerId));
    },
    location(platform, user, lat, lon) {
      return act(platform, user, () => sim.sendLocation(TOKENS[platform], user, lat, lon));
    },
    async answerTo(platform, user, messageId, data) {
      const id = sim.press(TOKENS[platform], user, messageId, data);
      await deliver(platform);
      return sim.bot(TOKENS[platform]).callbackAnswers.get(id);
    },
    async staff(role, scope, platform = "telegram") {
      const user = newUser();
      sim.openChat(TOKENS[platform], user);
      await app.deps.store.access.grant({ platform, userId: String(user.id), role, scope, grantedBy: "test" });
      return user;
    },
    last(platform, user) {
      return sim.botMessages(TOKENS[platform], user.id).at(-1)!;
    },
    close: () => app.stop(),
  };
}

/**
 * New users' ids, counted up in each worker. Far above every id a test names by hand (an ADMIN_IDS admin, the
 * playground's personas): with modules shared between a worker's files, the counter runs on from file to file, and
 * from 5,000 it once reached a hand-named admin's 5,353 (test/architecture.test.ts checks the gap).
 */
export const FIRST_NEW_USER_ID = 1_000_000;
let nextUserId = FIRST_NEW_USER_ID;
export const newUser = (first_name = "مریم"): SimUser => ({ id: nextUserId++, first_name });
