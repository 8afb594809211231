import { GrammyError, HttpError, type BotError } from "grammy";
import type { BotContext } from "../context.js";

/** Describes an error for the log without any message content or personal data. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError)
    return { name: error.name, method: error.method, code: error.error_code, description: error.description };
  if (error instanceof HttpError) return { name: error.name, message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}

/**
 * The one error boundary around every feature: logs the fault with its
 * context and tells the user, in their language, that it did not work.
 */
export async function handleBotError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  const updateType = Object.keys(ctx.update).find((k) => k !== "update_id");
  ctx.log.error({ err: describeError(err.error), updateType }, "update failed");
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("errors.generic") });
    else if (ctx.chat?.type === "private") await ctx.reply(ctx.t("errors.generic"));
  } catch (replyError) {
    ctx.log.warn({ err: describeError(replyError) }, "could not send the apology");
  }
}
