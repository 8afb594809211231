import type { BotContext } from "../context.js";

/** Whether any conversation is running for this chat. */
export const inConversation = (ctx: BotContext) => Object.keys(ctx.conversation.active()).length > 0;
