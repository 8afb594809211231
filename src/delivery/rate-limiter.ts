import type { Redis } from "ioredis";
import type { Platform } from "../platforms/capabilities.js";

/**
 * Paces sends per platform: each `acquire` reserves the next free slot
 * (1000/rate ms apart) and waits for it. `pause` pushes every slot past a
 * platform's `retry_after`. With Redis the slots are shared by every process.
 */
export interface RateLimiter {
  acquire(platform: Platform): Promise<void>;
  pause(platform: Platform, seconds: number): Promise<void>;
}

export type Rates = Record<Platform, number>;

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
const gap = (rate: number) => (rate > 0 && Number.isFinite(rate) ? 1000 / rate : 0);

export function createMemoryRateLimiter(rates: Rates): RateLimiter {
  const next = new Map<Platform, number>();
  return {
    async acquire(platform) {
      const now = Date.now();
      const slot = Math.max(now, next.get(platform) ?? 0);
      next.set(platform, slot + gap(rates[platform]));
      await sleep(slot - now);
    },
    async pause(platform, seconds) {
      next.set(platform, Math.max(next.get(platform) ?? 0, Date.now() + seconds * 1000));
    },
  };
}

/** Reserves a slot atomically: returns the slot time and stores the following one. */
const RESERVE = `
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
local slot = math.max(now, nxt)
redis.call('SET', KEYS[1], tostring(slot + tonumber(ARGV[2])), 'PX', 120000)
return tostring(slot)`;

const PAUSE = `
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local untl = tonumber(ARGV[1])
if untl > nxt then redis.call('SET', KEYS[1], tostring(untl), 'PX', 120000) end
return 1`;

export function createRedisRateLimiter(redis: Redis, rates: Rates): RateLimiter {
  const key = (platform: Platform) => `rate:${platform}`;
  return {
    async acquire(platform) {
      const now = Date.now();
      const slot = Number(await redis.eval(RESERVE, 1, key(platform), String(now), String(gap(rates[platform]))));
      await sleep(slot - Date.now());
    },
    async pause(platform, seconds) {
      await redis.eval(PAUSE, 1, key(platform), String(Date.now() + seconds * 1000));
    },
  };
}

/**
 * The shared (Redis) limiter while it answers; the local one when it fails,
 * so sending goes on at this worker's own pace (several workers may then
 * together exceed the rate for a while; the platform's 429 is waited out).
 */
export function withFallback(shared: RateLimiter, local: RateLimiter): RateLimiter {
  return {
    acquire: (platform) => shared.acquire(platform).catch(() => local.acquire(platform)),
    async pause(platform, seconds) {
      await local.pause(platform, seconds);
      await shared.pause(platform, seconds).catch(() => undefined);
    },
  };
}
