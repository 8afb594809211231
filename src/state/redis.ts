import { parseSentinelUrl } from "../config.js";
import { Redis, type RedisOptions } from "ioredis";

/**
 * One way to open Redis for every use (state, claims, rate limits): commands
 * fail at once while disconnected instead of queueing, so callers fall back
 * to their in-process stand-in and the bot keeps answering; reconnection
 * keeps trying every ≤ 2 s until Redis returns.
 *
 * `REDIS_URL` is a plain `redis://` / `rediss://` URL, or, for a Sentinel-
 * managed primary (high availability), `redis-sentinel://[:password@]host1:
 * 26379,host2:26379,…/<master name>[/<db>]`: ioredis asks the sentinels for
 * the current primary and follows a fail-over.
 *
 * Commands issued in the same tick (the updates handled at once) go out in
 * one write: each socket write to Redis was the largest single cost of an
 * update under load (`npm run bench:load`).
 */
export function openRedis(url: string, prefix: string): Redis {
  const common: RedisOptions = {
    keyPrefix: prefix,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  };
  const sentinel = parseSentinelUrl(url);
  return sentinel ? new Redis({ ...common, ...sentinel }) : new Redis(url, common);
}
