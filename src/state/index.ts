import { MemorySessionStorage, type StorageAdapter } from "grammy";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { StateBackend } from "./backend.js";
import { localBuckets, localClaims } from "./claims.js";
import { createRedisState } from "./redis-state.js";
import { createSqliteState } from "./sqlite.js";

export type { StateBackend } from "./backend.js";
export { createRedisState } from "./redis-state.js";

export function createMemoryState(ttlSeconds: number): StateBackend {
  const maps = new Map<string, MemorySessionStorage<unknown>>();
  return {
    kind: "memory",
    storage<T>(namespace: string) {
      let map = maps.get(namespace);
      if (!map) maps.set(namespace, (map = new MemorySessionStorage<unknown>(ttlSeconds * 1000)));
      return map as StorageAdapter<T>;
    },
    ...localClaims(),
    ...localBuckets(),
    available: () => true,
    async ping() {},
    async close() {
      maps.clear();
    },
  };
}

export function createState(
  config: Pick<Config, "redis" | "stateTtlSeconds" | "store" | "dataDir">,
  logger: Logger,
): StateBackend {
  if (config.redis) return createRedisState(config.redis.url, config.redis.prefix, config.stateTtlSeconds, logger);
  if (config.store.kind === "sqlite") return createSqliteState(config.dataDir, config.stateTtlSeconds);
  return createMemoryState(config.stateTtlSeconds);
}
