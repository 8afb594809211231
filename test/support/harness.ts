import type { Update } from "grammy/types";
import { createApp, type App } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/logger.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import { BotApiSimulator, type SimUser } from "../../src/playground/bot-api/index.js";
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
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return new Response("not found", { status: 404 });
    const body = init?.body;
    const params = typeof body === "string" && body.length > 0 ? (JSON.parse(body) as Record<string, unknown>) : {};
    try {
      const result = await sim.call(match[1]!, match[2]!, params, new Map());
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
  close(): Promise<void>;
}

/** Builds the real app (both platforms) against an in-process simulator. */
export async function createHarness(
  options: { config?: Config; sim?: BotApiSimulator; logger?: Logger } = {},
): Promise<Harness> {
  const sim = options.sim ?? new BotApiSimulator();
  for (const platform of ["telegram", "bale"] as const)
    if (!sim.bots.has(TOKENS[platform])) sim.addBot(TOKENS[platform], platform);
  const config = options.config ?? testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, BALE_BOT_TOKEN: BALE_TOKEN });
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
  return {
    app,
    sim,
    config,
    deliver,
    texts,
    async say(platform, user, text) {
      const before = texts(platform, user).length;
      sim.sendText(TOKENS[platform], user, text);
      await deliver(platform);
      return texts(platform, user).slice(before);
    },
    close: () => app.stop(),
  };
}

let nextUserId = 5000;
export const newUser = (first_name = "مریم"): SimUser => ({ id: nextUserId++, first_name });
