import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { BotContext } from "../bot/context.js";
import { ALLOWED_UPDATES, capabilitiesOf, type Platform } from "../platforms/capabilities.js";

/**
 * Long polling with @grammyjs/runner: updates of different chats run
 * concurrently, those of one chat in order (`sequentialize` in the bot).
 */
export async function startPolling(bot: Bot<BotContext>, platform: Platform): Promise<RunnerHandle> {
  await bot.api.deleteWebhook();
  const caps = capabilitiesOf(platform);
  return run(bot, {
    runner: {
      fetch: { timeout: 30, ...(caps.allowedUpdates ? { allowed_updates: [...ALLOWED_UPDATES] } : {}) },
      maxRetryTime: Infinity,
      retryInterval: "exponential",
    },
  });
}
