import type { Context, MiddlewareFn } from "grammy";
import { DEFAULT_LANGUAGE } from "../../i18n.js";
import type { Person } from "../../store/port.js";
import type { HamdelFlavor } from "../context.js";

/**
 * Looks up the sender's person record and switches the translator to the
 * language they chose. Read-only: records are created by features.
 */
export function loadPerson<C extends Context & HamdelFlavor & { person?: Person | null }>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const from = ctx.from;
    const person =
      from && !from.is_bot
        ? await ctx.deps.store.people.findByIdentity({ platform: ctx.caps.platform, userId: String(from.id) })
        : null;
    ctx.person = person;
    ctx.lang = person?.language ?? DEFAULT_LANGUAGE;
    ctx.t = ctx.deps.i18n.t(ctx.lang);
    return next();
  };
}
