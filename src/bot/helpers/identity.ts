import type { Context } from "grammy";
import type { NewIdentity } from "../../store/port/index.js";
import type { HamdelFlavor } from "../context.js";

/** The sender's identity on this platform, for a private chat; otherwise undefined. */
export function senderIdentity(ctx: Context & HamdelFlavor): NewIdentity | undefined {
  if (!ctx.from || ctx.from.is_bot || ctx.chat?.type !== "private") return undefined;
  return { platform: ctx.caps.platform, userId: String(ctx.from.id), chatId: String(ctx.chat.id) };
}
