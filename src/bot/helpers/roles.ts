import type { Context } from "grammy";
import type { HamdelFlavor } from "../context.js";

/**
 * National admins bootstrapped from ADMIN_IDS. (Provincial, centre and
 * institution roles with scopes come with the coordinators' issue.)
 */
export function isNationalAdmin(ctx: Context & HamdelFlavor): boolean {
  const from = ctx.from;
  if (!from) return false;
  return ctx.deps.config.adminIds.some((a) => a.platform === ctx.caps.platform && a.userId === String(from.id));
}

/** The actor id written on coordinator actions, e.g. `telegram:123`. */
export const actorOf = (ctx: Context & HamdelFlavor) => `${ctx.caps.platform}:${ctx.from?.id ?? "unknown"}`;
