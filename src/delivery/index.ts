import { Api } from "grammy";
import { openRedis } from "../state/redis.js";
import { installApiGuards } from "../bot/api-guards.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { capabilitiesOf as capabilitiesFor, type Platform } from "../platforms/capabilities.js";
import type { Store } from "../store/port.js";
import { DeliveryEngine, type EngineOptions } from "./engine.js";
import { createMemoryRateLimiter, createRedisRateLimiter, withFallback } from "./rate-limiter.js";

export { DeliveryEngine, OPT_OUT_DATA } from "./engine.js";

/**
 * Builds the engine from the config: a plain API per platform (no auto-retry:
 * the engine itself handles 429 and 5xx, durably), and a rate limiter shared
 * through Redis when `REDIS_URL` is set.
 */
export function createDeliveryEngine(
  config: Config,
  store: Store,
  logger: Logger,
  options: Partial<EngineOptions> & { fetch?: typeof fetch } = {},
): { engine: DeliveryEngine; close(): Promise<void> } {
  const apis = new Map<Platform, Api>();
  for (const bot of config.bots) {
    const api = new Api(bot.token, { apiRoot: bot.apiRoot, ...(options.fetch ? { fetch: options.fetch } : {}) });
    installApiGuards(api, capabilitiesFor(bot.platform), config.botApiTimeoutSeconds, { retry: false });
    apis.set(bot.platform, api);
  }
  const redis = config.redis ? openRedis(config.redis.url, config.redis.prefix) : undefined;
  let shared = true;
  redis?.on("error", (err) => {
    if (shared)
      logger.warn({ err: err.message }, "redis unavailable: each delivery worker paces itself until it returns");
    shared = false;
  });
  redis?.on("ready", () => (shared = true));
  const local = createMemoryRateLimiter(config.broadcastRates);
  const limiter = redis ? withFallback(createRedisRateLimiter(redis, config.broadcastRates), local) : local;
  const engine = new DeliveryEngine(store, apis, limiter, logger, {
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    ...options,
  });
  return {
    engine,
    async close() {
      await engine.stop();
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
