import { GrammyError, HttpError, type BotError } from "grammy";
import { isStoreUnavailable } from "../../store/port/index.js";
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
 * context and tells the user, in their language, that it did not work — or,
 * when the store is unreachable, to try again shortly (nothing was saved, and
 * nothing said it was).
 */
export async function handleBotError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  const updateType = Object.keys(ctx.update).find((k) => k !== "update_id");
  // The adapters say so themselves (StoreUnavailableError): no ping needed.
  const unavailable = isStoreUnavailable(err.error);
  ctx.log.error({ err: describeError(err.error), updateType, storeUnavailable: unavailable }, "update failed");
  const text = ctx.t(unavailable ? "errors.try_later" : "errors.generic");
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (ctx.chat?.type === "private") await ctx.reply(text);
  } catch (replyError) {
    ctx.log.warn({ err: describeError(replyError) }, "could not send the apology");
  }
}
