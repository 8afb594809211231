import { MAX_TEXT_LENGTH } from "../conversations/kit/limits.js";
import type { BotContext } from "../context.js";

/** Outside every conversation: a message longer than any answer is refused before it can be kept. */
export async function textLengthGuard(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const text = ctx.message?.text ?? ctx.message?.caption;
  // Conversations run in private chats only; elsewhere the bot answers nothing of the kind.
  if (ctx.chat?.type === "private" && text !== undefined && text.length > MAX_TEXT_LENGTH) {
    await ctx.reply(ctx.t("conversation.too_long", { max: MAX_TEXT_LENGTH }));
    return;
  }
  await next();
}
