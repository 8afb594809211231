import Database from "better-sqlite3";
import { privateDatabaseFiles, privateFile } from "../../security/files.js";
import type { Redis } from "ioredis";
import { emptyState, type BudgetState } from "./policy.js";

/**
 * Where a token's {@link BudgetState} lives. `update` reads it, lets `fn`
 * change it, and stores it, atomically against every other process using
 * the same backend; `fn` may run more than once (an optimistic retry), so it
 * must only change the state it is given.
 */
export interface BudgetBackend {
  readonly kind: "memory" | "sqlite" | "redis";
  /** Whether other processes share this budget (false: this process alone). */
  readonly shared: boolean;
  update<T>(key: string, fn: (state: BudgetState) => T): Promise<T>;
  close(): Promise<void>;
}

/** One process's own budget (tests, and the fallback while Redis is away). */
export function memoryBackend(seed?: (key: string) => BudgetState | undefined): BudgetBackend {
  const states = new Map<string, BudgetState>();
  return {
    kind: "memory",
    shared: false,
    async update(key, fn) {
      let s = states.get(key);
      if (!s) states.set(key, (s = structuredClone(seed?.(key)) ?? emptyState()));
      return fn(s);
    },
    async close() {},
  };
}

/**
 * The budget in a SQLite file beside the embedded store (`DATA_DIR`): every
 * process on this machine (the bot, a delivery worker, the CLI) shares it.
 * Each update is one `BEGIN IMMEDIATE` transaction, so processes take turns.
 */
export function sqliteBackend(file: string): BudgetBackend {
  privateFile(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  privateDatabaseFiles(file);
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 2000");
  db.exec("CREATE TABLE IF NOT EXISTS send_budget (key TEXT PRIMARY KEY, state TEXT NOT NULL)");
  const read = db.prepare<[string], { state: string }>("SELECT state FROM send_budget WHERE key = ?");
  const write = db.prepare<[string, string]>(
    "INSERT INTO send_budget (key, state) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state",
  );
  return {
    kind: "sqlite",
    shared: true,
    async update(key, fn) {
      const tx = db.transaction(() => {
        const row = read.get(key);
        const state = row ? (JSON.parse(row.state) as BudgetState) : emptyState();
        const result = fn(state);
        write.run(key, JSON.stringify(state));
        return result;
      });
      return tx.immediate();
    },
    async close() {
      db.close();
    },
  };
}

/** Stores `ARGV[2]` only when the stored value still carries revision `ARGV[1]` (compare-and-set). */
const CAS = `
local cur = redis.call('GET', KEYS[1])
local rev = cur and string.match(cur, '^(%d+)|') or '0'
if rev ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** An idle token's state is dropped after this long (it holds nothing older than a second but memberships). */
const REDIS_TTL_MS = 10 * 60_000;

/**
 * The budget in Redis, shared by every process of every machine: the state
 * is one value, `<revision>|<json>`, replaced by compare-and-set (a process
 * that lost the race reads again and retries).
 */
export function redisBackend(redis: Redis, readyWaitMs = 2000): BudgetBackend {
  return {
    kind: "redis",
    shared: true,
    async update(key, fn) {
      // Commands are not queued while connecting (the state's Redis settings): the first ones wait for the connection.
      if (redis.status === "connecting" || redis.status === "wait" || redis.status === "connect")
        await ready(redis, readyWaitMs);
      const k = `budget:${key}`;
      for (;;) {
        const cur = await redis.get(k);
        const bar = cur?.indexOf("|") ?? -1;
        const rev = cur && bar > 0 ? Number(cur.slice(0, bar)) : 0;
        const state = cur && bar > 0 ? (JSON.parse(cur.slice(bar + 1)) as BudgetState) : emptyState();
        const result = fn(state);
        const ok = await redis.eval(
          CAS,
          1,
          k,
          String(rev),
          `${rev + 1}|${JSON.stringify(state)}`,
          String(REDIS_TTL_MS),
        );
        if (Number(ok) === 1) return result;
      }
    },
    async close() {},
  };
}

/** Resolves once the connection is ready (or after `ms`: the command then fails as it would have). */
function ready(redis: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once("ready", done);
  });
}
