import { Composer } from "grammy";
import { conversationCommands } from "../commands.js";
import type { BotContext } from "../context.js";
import { inConversation } from "../helpers/conversation.js";

/**
 * The commands whose whole work is to open a conversation, read from the
 * registry (`COMMANDS[…].enters`): one running conversation at a time.
 */
export const commandsFeature = new Composer<BotContext>();

const private_ = commandsFeature.chatType("private");
for (const [command, conversation] of conversationCommands())
  private_.command(command, async (ctx) => {
    if (inConversation(ctx)) return ctx.reply(ctx.t("common.busy"));
    await ctx.conversation.enter(conversation);
  });
