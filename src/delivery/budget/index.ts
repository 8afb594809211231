import { privateDir } from "../../security/files.js";
import { join } from "node:path";
import type { Config } from "../../config.js";
import { capabilitiesOf } from "../../platforms/capabilities.js";
import { openRedis } from "../../state/redis.js";
import { memoryBackend, redisBackend, sqliteBackend, type BudgetBackend } from "./backends.js";
import { SendBudget, type SendBudgetOptions } from "./send-budget.js";

export { SendBudget, type BudgetObserver } from "./send-budget.js";
export { budgetedFetch, inLane, isBudgeted } from "./http-client.js";
export { LANES, type Lane } from "./policy.js";
export { memoryBackend, redisBackend, sqliteBackend, type BudgetBackend } from "./backends.js";

/** The embedded budget's file in `DATA_DIR`, shared by the processes of one machine. */
export const BUDGET_FILE = "send-budget.db";

/**
 * The send budget for a config's bots: in Redis when `REDIS_URL` is set
 * (every machine shares it), else in a SQLite file in `DATA_DIR` (every
 * process of this machine: the bot, delivery workers, the CLI).
 */
export function createSendBudget(
  config: Config,
  options: SendBudgetOptions & { backend?: BudgetBackend } = {},
): SendBudget {
  let backend = options.backend;
  if (!backend) {
    if (config.redis) {
      const redis = openRedis(config.redis.url, config.redis.prefix);
      redis.on("error", () => undefined);
      const shared = redisBackend(redis);
      backend = {
        ...shared,
        async close() {
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    } else if (config.bots.length > 0) {
      privateDir(config.dataDir);
      backend = sqliteBackend(join(config.dataDir, BUDGET_FILE));
    } else backend = memoryBackend();
  }
  return new SendBudget(
    backend,
    config.bots.map((b) => ({
      platform: b.platform,
      token: b.token,
      rate: config.sendRates[b.platform],
      bulkRate: config.broadcastRates[b.platform],
      chat: {
        ...capabilitiesOf(b.platform).rateLimits,
        ...(config.chatSendRate ? { perChatPerSecond: config.chatSendRate } : {}),
        replyBurst: config.replyBurst,
      },
    })),
    options,
  );
}
