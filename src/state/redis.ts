import { Redis } from "ioredis";

/**
 * One way to open Redis for every use (state, claims, rate limits): commands
 * fail at once while disconnected instead of queueing, so callers fall back
 * to their in-process stand-in and the bot keeps answering; reconnection
 * keeps trying every ≤ 2 s until Redis returns.
 */
export function openRedis(url: string, prefix: string): Redis {
  return new Redis(url, {
    keyPrefix: prefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
}
