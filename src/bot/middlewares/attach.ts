import type { Context, MiddlewareFn } from "grammy";
import { DEFAULT_LANGUAGE } from "../../i18n.js";
import type { PlatformCapabilities } from "../../platforms/capabilities.js";
import type { AppDeps, HamdelFlavor } from "../context.js";

/**
 * Puts the dependencies, the platform's capabilities, a per-update logger and
 * a Persian translator on the context. Language is refined by `loadPerson`.
 */
export function attach<C extends Context & HamdelFlavor>(deps: AppDeps, caps: PlatformCapabilities): MiddlewareFn<C> {
  return (ctx, next) => {
    ctx.deps = deps;
    ctx.caps = caps;
    ctx.log = deps.logger.child({ platform: caps.platform, update_id: ctx.update.update_id });
    ctx.lang = DEFAULT_LANGUAGE;
    ctx.t = deps.i18n.t(DEFAULT_LANGUAGE);
    return next();
  };
}
