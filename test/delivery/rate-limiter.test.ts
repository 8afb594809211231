import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from "../../src/delivery/rate-limiter.js";

const redisUrl = process.env.REDIS_URL;

async function timeFor(limiter: RateLimiter, n: number) {
  const started = Date.now();
  await Promise.all(Array.from({ length: n }, () => limiter.acquire("telegram")));
  return Date.now() - started;
}

function limiterContract(name: string, make: () => { limiter: (rate: number) => RateLimiter; close?: () => void }) {
  describe(name, () => {
    it("spaces sends at the rate: 11 at 50/s take about 200 ms", async () => {
      const { limiter, close } = make();
      const ms = await timeFor(limiter(50), 11);
      close?.();
      expect(ms).toBeGreaterThanOrEqual(190);
      expect(ms).toBeLessThan(600);
    });
    it("pauses a platform for retry_after, not the other", async () => {
      const { limiter, close } = make();
      const l = limiter(1000);
      const paused = Date.now();
      await l.pause("telegram", 0.3);
      const started = Date.now();
      await l.acquire("bale");
      expect(Date.now() - started).toBeLessThan(100);
      await l.acquire("telegram");
      close?.();
      // Measured from before the pause: a slow pause call (a busy Redis) must not shorten the wait seen here.
      expect(Date.now() - paused).toBeGreaterThanOrEqual(290);
    });
  });
}

limiterContract("in-process rate limiter", () => ({
  limiter: (rate) => createMemoryRateLimiter({ telegram: rate, bale: rate }),
}));

describe.skipIf(!redisUrl)(`Redis rate limiter${redisUrl ? "" : " (skipped: REDIS_URL not set)"}`, () => {
  limiterContract("one process", () => {
    const redis = new Redis(redisUrl!, { keyPrefix: `test-${randomUUID()}:` });
    return {
      limiter: (rate) => createRedisRateLimiter(redis, { telegram: rate, bale: rate }),
      close: () => redis.disconnect(),
    };
  });
  it("shares the rate between two workers", async () => {
    const prefix = `test-${randomUUID()}:`;
    const a = new Redis(redisUrl!, { keyPrefix: prefix });
    const b = new Redis(redisUrl!, { keyPrefix: prefix });
    const rates = { telegram: 50, bale: 50 };
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 6 }, () => createRedisRateLimiter(a, rates).acquire("telegram")),
      ...Array.from({ length: 5 }, () => createRedisRateLimiter(b, rates).acquire("telegram")),
    ]);
    const ms = Date.now() - started;
    a.disconnect();
    b.disconnect();
    expect(ms).toBeGreaterThanOrEqual(190);
  });
});
