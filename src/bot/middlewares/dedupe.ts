import type { Context, MiddlewareFn } from "grammy";
import type { HamdelFlavor } from "../context.js";

/** How long an update id is remembered: the platforms resend for far less. */
export const UPDATE_MEMORY_SECONDS = 24 * 3600;

/**
 * Drops an update already handled (a webhook the platform retried after a
 * slow answer, polling after a restart), known by its platform, bot and
 * `update_id`, across workers when Redis is configured. An update is marked
 * only once handled: if the process dies while handling it, the platform's
 * redelivery is handled, not dropped. It runs after `sequentialize`, so a
 * duplicate of one chat waits for the first and then sees it marked. If the
 * state store cannot answer, the update is handled — a rare duplicate beats a
 * lost message.
 */
export function dedupeUpdates<C extends Context & HamdelFlavor>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const key = `upd:${ctx.caps.platform}:${ctx.me.id}:${ctx.update.update_id}`;
    const state = ctx.deps.state;
    const unavailable = (err: Error) =>
      ctx.log.warn({ err: err.message }, "update de-duplication unavailable; handling the update");
    if (await state.seen(key).catch((err: Error) => (unavailable(err), false))) {
      ctx.log.info({ update: ctx.update.update_id }, "duplicate update dropped");
      return;
    }
    await next();
    await state.claimOnce(key, UPDATE_MEMORY_SECONDS).catch(unavailable);
  };
}
