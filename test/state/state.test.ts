import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createMemoryState, createRedisState, createState, type StateBackend } from "../../src/state/index.js";
import { createSqliteState } from "../../src/state/sqlite.js";
import { parseSentinelUrl } from "../../src/config.js";
import { tempDir, testConfig } from "../support/config.js";
import { hasRedisServer, privateRedis, privateSentinel } from "../support/faults.js";

const logger = createLogger("silent");
const redisUrl = process.env.REDIS_URL;

function stateContract(name: string, make: () => StateBackend) {
  describe(name, () => {
    let state: StateBackend;
    afterEach(async () => {
      await state?.close();
    });

    it("reads back what it wrote, per namespace, and deletes", async () => {
      state = make();
      const a = state.storage<{ step: number }>("a");
      const b = state.storage<{ step: number }>("b");
      await a.write("chat-1", { step: 3 });
      expect(await a.read("chat-1")).toEqual({ step: 3 });
      expect(await b.read("chat-1")).toBeUndefined();
      await a.delete("chat-1");
      expect(await a.read("chat-1")).toBeUndefined();
      await expect(state.ping()).resolves.toBeUndefined();
    });

    it("claims a key once until it expires", async () => {
      state = make();
      const key = `upd:${randomUUID()}`;
      expect(await state.claimOnce(key, 1)).toBe(true);
      expect(await state.claimOnce(key, 1)).toBe(false);
      expect(await state.claimOnce(`${key}-other`, 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await state.claimOnce(key, 1)).toBe(true);
      expect(state.available()).toBe(true);
    });

    it("takes a burst of tokens from a bucket, then refuses until it refills", async () => {
      state = make();
      const key = `flood:${randomUUID()}`;
      const taken = await Promise.all(Array.from({ length: 5 }, () => state.takeToken(key, 3, 10)));
      expect(taken.filter(Boolean)).toHaveLength(3);
      expect(await state.takeToken(`${key}-other`, 3, 10)).toBe(true);
      await new Promise((r) => setTimeout(r, 150)); // 10 a second: one more after 100 ms
      expect(await state.takeToken(key, 3, 10)).toBe(true);
      expect(await state.takeToken(key, 3, 10)).toBe(false);
    });
  });
}

stateContract(`state backend from the test environment (${redisUrl ? "redis" : "embedded"})`, () =>
  createState(testConfig(), logger),
);
stateContract("in-process state", () => createMemoryState(60));
stateContract("embedded SQLite state", () => createSqliteState(tempDir(), 60));

describe.skipIf(!redisUrl)("the flood guard's counts across workers (Redis)", () => {
  it("two workers on one Redis share one bucket per person", async () => {
    const prefix = `test-${randomUUID()}:`;
    const a = createRedisState(redisUrl!, prefix, 60, logger);
    const b = createRedisState(redisUrl!, prefix, 60, logger);
    try {
      const key = `flood:bale:${randomUUID()}`;
      // Eight updates split between the workers: the person's burst of four is spent once, not per worker.
      const taken = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).takeToken(key, 4, 0.001)));
      expect(taken.filter(Boolean)).toHaveLength(4);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("embedded SQLite state", () => {
  it("remembers claimed update ids across a restart (kill -9 after fetching)", async () => {
    const dir = tempDir();
    const first = createSqliteState(dir, 60);
    expect(await first.claimOnce("upd:telegram:1:42", 3600)).toBe(true);
    await first.close();
    const second = createSqliteState(dir, 60);
    expect(await second.claimOnce("upd:telegram:1:42", 3600)).toBe(false);
    await second.close();
  });

  it("survives a reopen (a restart) and expires entries", async () => {
    const dir = tempDir();
    const first = createSqliteState(dir, 60);
    await first.storage<{ step: string }>("conv").write("7", { step: "phone" });
    await first.close();
    const second = createSqliteState(dir, 60);
    expect(await second.storage<{ step: string }>("conv").read("7")).toEqual({ step: "phone" });
    const realNow = Date.now;
    Date.now = () => realNow() + 61_000;
    try {
      expect(await second.storage("conv").read("7")).toBeUndefined();
    } finally {
      Date.now = realNow;
      await second.close();
    }
  });
});

describe("in-process state expiry", () => {
  it("forgets entries after the TTL", async () => {
    const state = createMemoryState(60);
    const s = state.storage<number>("x");
    await s.write("k", 1);
    const realNow = Date.now;
    Date.now = () => realNow() + 61_000;
    try {
      expect(await s.read("k")).toBeUndefined();
    } finally {
      Date.now = realNow;
    }
  });
});

describe.skipIf(!redisUrl)(`Redis state specifics${redisUrl ? "" : " (skipped: REDIS_URL not set)"}`, () => {
  it("keeps keys under the prefix with the configured TTL", async () => {
    const prefix = `test-${randomUUID()}:`;
    const state = createRedisState(redisUrl!, prefix, 120, logger);
    const raw = new Redis(redisUrl!);
    try {
      await state.storage<object>("conv:telegram").write("42", { hello: "سلام" });
      const keys = await raw.keys(`${prefix}*`);
      expect(keys).toEqual([`${prefix}conv:telegram:42`]);
      const ttl = await raw.ttl(keys[0]!);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
      expect(JSON.parse((await raw.get(keys[0]!))!)).toEqual({ hello: "سلام" });
      await raw.del(...keys);
    } finally {
      await state.close();
      raw.disconnect();
    }
  });
});

describe("Redis Sentinel (REDIS_URL=redis-sentinel://…)", () => {
  it("reads the sentinels, the master name, a password and a database from the URL, and refuses a bad one", () => {
    expect(parseSentinelUrl("redis://127.0.0.1:6379")).toBeNull();
    expect(parseSentinelUrl("redis-sentinel://:s%40cret@s1:26379,s2,s3:26380/mymaster/2")).toEqual({
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26379 },
        { host: "s3", port: 26380 },
      ],
      name: "mymaster",
      password: "s@cret",
      sentinelPassword: "s@cret",
      db: 2,
    });
    expect(() => parseSentinelUrl("redis-sentinel://s1:26379")).toThrow(/master name/);
    expect(() => testConfig({ REDIS_URL: "redis-sentinel://s1:x/m" })).toThrow(/REDIS_URL/);
  });

  it.skipIf(!hasRedisServer())(
    "finds the primary through a real sentinel and keeps state there",
    async () => {
      const redis = await privateRedis();
      const sentinel = await privateSentinel(redis.port);
      const prefix = `test-${randomUUID()}:`;
      const state = createRedisState(sentinel.url, prefix, 60, logger);
      const direct = new Redis(redis.url);
      try {
        await state.storage<{ step: string }>("conv").write("9", { step: "phone" });
        expect(await state.storage<{ step: string }>("conv").read("9")).toEqual({ step: "phone" });
        expect(await state.claimOnce("upd:1", 60)).toBe(true);
        expect(await direct.exists(`${prefix}conv:9`)).toBe(1);
        expect(state.available()).toBe(true);
      } finally {
        await state.close();
        direct.disconnect();
        await sentinel.kill();
        await redis.kill();
      }
    },
    30_000,
  );
});
