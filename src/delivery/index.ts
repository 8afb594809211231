import { Api } from "grammy";
import { installApiGuards } from "../platforms/api-guards.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { capabilitiesOf as capabilitiesFor, type Platform } from "../platforms/capabilities.js";
import type { Store } from "../store/port/index.js";
import { createSendBudget, type SendBudget } from "./budget/index.js";
import { DeliveryEngine, type EngineOptions } from "./engine.js";

export { DeliveryEngine } from "./engine.js";

/**
 * Builds the engine from the config: a plain API per platform (no auto-retry:
 * the engine itself handles 429 and 5xx, durably), and the bot's send budget
 * (`budget`: the app's own, shared with its replies; otherwise one of its
 * own on the same shared backend, closed with the engine).
 */
export function createDeliveryEngine(
  config: Config,
  store: Store,
  logger: Logger,
  options: Partial<EngineOptions> & { fetch?: typeof fetch; budget?: SendBudget } = {},
): { engine: DeliveryEngine; budget: SendBudget; close(): Promise<void> } {
  const { budget: given, fetch: fetchFn, ...engineOptions } = options;
  const apis = new Map<Platform, Api>();
  for (const bot of config.bots) {
    const api = new Api(bot.token, { apiRoot: bot.apiRoot, ...(fetchFn ? { fetch: fetchFn } : {}) });
    installApiGuards(api, capabilitiesFor(bot.platform), config.botApiTimeoutSeconds, { retry: false });
    apis.set(bot.platform, api);
  }
  const budget = given ?? createSendBudget(config, { logger });
  const engine = new DeliveryEngine(store, apis, budget, logger, {
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    ...engineOptions,
  });
  return {
    engine,
    budget,
    async close() {
      await engine.stop();
      if (!given) await budget.close();
    },
  };
}
