import type { Context, MiddlewareFn } from "grammy";
import type { HamdelFlavor } from "../context.js";

/** How long an update id is remembered: the platforms resend for far less. */
export const UPDATE_MEMORY_SECONDS = 24 * 3600;

/**
 * Drops an update seen before (a webhook the platform retried after a slow
 * answer, polling after a restart): claimed by its platform, bot and
 * `update_id`, across workers when Redis is configured. If the state store
 * cannot answer, the update is handled — a rare duplicate beats a lost message.
 */
export function dedupeUpdates<C extends Context & HamdelFlavor>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const key = `upd:${ctx.caps.platform}:${ctx.me.id}:${ctx.update.update_id}`;
    const first = await ctx.deps.state.claimOnce(key, UPDATE_MEMORY_SECONDS).catch((err: Error) => {
      ctx.log.warn({ err: err.message }, "update de-duplication unavailable; handling the update");
      return true;
    });
    if (!first) {
      ctx.log.info({ update: ctx.update.update_id }, "duplicate update dropped");
      return;
    }
    return next();
  };
}
