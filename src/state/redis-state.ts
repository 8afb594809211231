import { RedisAdapter } from "@grammyjs/storage-redis";
import type { StorageAdapter } from "grammy";
import type { Logger } from "../logger.js";
import type { StateBackend } from "./backend.js";
import { localBuckets, localClaims } from "./claims.js";
import { openRedis } from "./redis.js";

function namespaced<T>(inner: StorageAdapter<T>, namespace: string): StorageAdapter<T> {
  const k = (key: string) => `${namespace}:${key}`;
  return {
    read: (key) => inner.read(k(key)),
    write: (key, value) => inner.write(k(key), value),
    delete: (key) => inner.delete(k(key)),
  };
}

/**
 * A bounded copy, in this process, of the state entries this worker has read
 * or written lately, so that it can go on while Redis is unreachable. An
 * entry written during an outage is `dirty`: newer than Redis, it is read from
 * here until the next successful write moves it there.
 */
class LocalCopy<T> {
  #entries = new Map<string, { value: T | undefined; dirty: boolean; until: number }>();
  constructor(
    private readonly ttlSeconds: number,
    private readonly max = 5_000,
  ) {}
  /** A copy (read only during an outage, so the cost of copying is paid only then). */
  get(key: string): T | undefined {
    const e = this.#entries.get(key);
    if (!e || e.until < Date.now()) return undefined;
    return structuredClone(e.value);
  }
  dirty(key: string): boolean {
    return this.#entries.get(key)?.dirty ?? false;
  }
  set(key: string, value: T | undefined, dirty: boolean): void {
    this.#entries.delete(key);
    if (value === undefined && !dirty) return;
    // Kept by reference: the conversations plugin writes a fresh object each time.
    this.#entries.set(key, { value, dirty, until: Date.now() + this.ttlSeconds * 1000 });
    // Least recently set first; entries written during an outage are kept.
    for (const [k, e] of this.#entries) {
      if (this.#entries.size <= this.max) break;
      if (!e.dirty) this.#entries.delete(k);
    }
  }
}

/**
 * A token bucket in one Redis hash, updated atomically (a script runs alone):
 * the time is Redis's own, so every worker's clock agrees. Expires once full again.
 */
const TAKE_TOKEN = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + (math.max(0, now - at) / 1000) * rate)
local taken = 0
if tokens >= 1 then tokens = tokens - 1; taken = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return taken`;

/**
 * Redis-backed state that keeps answering when Redis does not: while Redis is
 * unreachable, conversation state and update claims are served by this
 * process — from its copy of what it last read or wrote, so a conversation
 * goes on where it was as long as its updates reach this worker — and once
 * Redis is back, what was written meanwhile is read from here until the next
 * write moves it to Redis. `available()` says which mode it is in.
 */
export function createRedisState(url: string, prefix: string, ttlSeconds: number, logger: Logger): StateBackend {
  const redis = openRedis(url, prefix);
  const local = { ...localClaims(), ...localBuckets() };
  let degraded = false;
  const degrade = (err: unknown) => {
    if (!degraded)
      logger.warn(
        { err: (err as Error).message },
        "redis unavailable: conversation state and update claims kept in this process until it returns",
      );
    degraded = true;
  };
  redis.on("error", (err) => degrade(err));
  redis.on("ready", () => {
    if (degraded) logger.info("redis is back: shared state resumed");
    degraded = false;
  });
  // Until the first connection is made (or fails for 2 s), wait for it rather than start degraded.
  const connected = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    timer.unref();
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const up = () => redis.status === "ready";
  const adapter = new RedisAdapter<unknown>({ instance: redis as never, ttl: ttlSeconds });
  /** Runs `primary` on Redis when it is up, else (or when it fails) `local`. */
  async function either<T>(primary: () => Promise<T>, local: () => T | Promise<T>): Promise<T> {
    await connected;
    if (!up()) return local();
    try {
      return await primary();
    } catch (err) {
      degrade(err);
      return local();
    }
  }
  return {
    kind: "redis",
    storage<T>(namespace: string): StorageAdapter<T> {
      const shared = namespaced(adapter as StorageAdapter<T>, namespace);
      const copy = new LocalCopy<T>(ttlSeconds);
      return {
        read: (key) =>
          either(
            async () => {
              // Written (or deleted) here during an outage: newer than Redis.
              if (copy.dirty(key)) return copy.get(key);
              const value = await shared.read(key);
              copy.set(key, value, false);
              return value;
            },
            () => copy.get(key),
          ),
        write: (key, value) =>
          either(
            async () => {
              await shared.write(key, value);
              copy.set(key, value, false);
            },
            () => copy.set(key, value, true),
          ),
        delete: (key) =>
          either(
            async () => {
              await shared.delete(key);
              copy.set(key, undefined, false);
            },
            () => copy.set(key, undefined, true),
          ),
      };
    },
    claimOnce: (key, ttlSeconds) =>
      either(
        async () => {
          // Claimed in Redis, and here too: a claim made during an outage still counts after it.
          void local.claimOnce(key, ttlSeconds);
          return (await redis.set(`once:${key}`, "1", "EX", ttlSeconds, "NX")) === "OK";
        },
        () => local.claimOnce(key, ttlSeconds),
      ),
    takeToken: (key, burst, perSecond) =>
      either(
        async () => (await redis.eval(TAKE_TOKEN, 1, `bucket:${key}`, burst, perSecond)) === 1,
        () => local.takeToken(key, burst, perSecond),
      ),
    seen: (key) =>
      either(
        async () => (await local.seen(key)) || (await redis.exists(`once:${key}`)) === 1,
        () => local.seen(key),
      ),
    available: () => up(),
    async ping() {
      await connected;
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
