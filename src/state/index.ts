import { RedisAdapter } from "@grammyjs/storage-redis";
import { localClaims } from "./claims.js";
import { MemorySessionStorage, type StorageAdapter } from "grammy";
import { Redis } from "ioredis";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { createSqliteState } from "./sqlite.js";

/**
 * Short-lived state (conversation state): Redis when `REDIS_URL` is set, so
 * that every worker shares it; otherwise in-process — a SQLite file in
 * DATA_DIR with the embedded store (it survives a restart), or a map with
 * MongoDB (whose deployments run several workers and so set REDIS_URL).
 * All expire entries after `STATE_TTL_SECONDS`.
 */
export interface StateBackend {
  readonly kind: "redis" | "sqlite" | "memory";
  /** A key–value adapter whose keys live under `namespace`. */
  storage<T>(namespace: string): StorageAdapter<T>;
  /**
   * True the first time a key is claimed within `ttlSeconds` (across every
   * worker with Redis; in this process otherwise). Update de-duplication.
   */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

function namespaced<T>(inner: StorageAdapter<T>, namespace: string): StorageAdapter<T> {
  const k = (key: string) => `${namespace}:${key}`;
  return {
    read: (key) => inner.read(k(key)),
    write: (key, value) => inner.write(k(key), value),
    delete: (key) => inner.delete(k(key)),
  };
}

export function createRedisState(url: string, prefix: string, ttlSeconds: number, logger: Logger): StateBackend {
  const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis error"));
  const adapter = new RedisAdapter<unknown>({ instance: redis as never, ttl: ttlSeconds });
  return {
    kind: "redis",
    storage: <T>(namespace: string) => namespaced(adapter as StorageAdapter<T>, namespace),
    async claimOnce(key, ttlSeconds) {
      return (await redis.set(`once:${key}`, "1", "EX", ttlSeconds, "NX")) === "OK";
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export function createMemoryState(ttlSeconds: number): StateBackend {
  const maps = new Map<string, MemorySessionStorage<unknown>>();
  return {
    kind: "memory",
    storage<T>(namespace: string) {
      let map = maps.get(namespace);
      if (!map) maps.set(namespace, (map = new MemorySessionStorage<unknown>(ttlSeconds * 1000)));
      return map as StorageAdapter<T>;
    },
    claimOnce: localClaims(),
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
