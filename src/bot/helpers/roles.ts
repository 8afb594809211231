import type { Context } from "grammy";
import type { HamdelFlavor } from "../context.js";

/** The actor id written on coordinator actions, e.g. `telegram:123`. */
export const actorOf = (ctx: Context & HamdelFlavor) => `${ctx.caps.platform}:${ctx.from?.id ?? "unknown"}`;
