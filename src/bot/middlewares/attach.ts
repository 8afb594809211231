import type { Context, MiddlewareFn } from "grammy";
import { DEFAULT_LANGUAGE } from "../../i18n.js";
import type { PlatformCapabilities } from "../../platforms/capabilities.js";
import type { Logger } from "../../logger.js";
import type { AppDeps } from "../../deps.js";
import type { HamdelFlavor } from "../context.js";

/**
 * Puts the dependencies, the platform's capabilities, a per-update logger and
 * a Persian translator on the context. Language is refined by `PersonLoader`.
 */
export function attach<C extends Context & HamdelFlavor>(deps: AppDeps, caps: PlatformCapabilities): MiddlewareFn<C> {
  return (ctx, next) => {
    ctx.deps = deps;
    ctx.caps = caps;
    // Made on first use: most updates log nothing, and a pino child serialises its bindings at once.
    let log: Logger | undefined;
    Object.defineProperty(ctx, "log", {
      configurable: true,
      get: () => (log ??= deps.logger.child({ platform: caps.platform, update_id: ctx.update.update_id })),
      set: (value: Logger) => void (log = value),
    });
    ctx.lang = DEFAULT_LANGUAGE;
    ctx.t = deps.i18n.t(DEFAULT_LANGUAGE);
    return next();
  };
}
