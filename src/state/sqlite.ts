import { privateDatabaseFiles, privateDir, privateFile } from "../security/files.js";
import { localBuckets } from "./claims.js";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { StorageAdapter } from "grammy";
import type { StateBackend } from "./backend.js";

export const STATE_FILE = "state.sqlite";

/**
 * The embedded stand-in for Redis: conversation state in its own SQLite file
 * in DATA_DIR, so that a single-process deployment (a pilot, the playground)
 * resumes conversations after a restart. Entries expire after the TTL.
 */
export function createSqliteState(dataDir: string, ttlSeconds: number): StateBackend {
  privateDir(dataDir);
  const file = join(dataDir, STATE_FILE);
  privateFile(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("secure_delete = ON");
  privateDatabaseFiles(file);
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE IF NOT EXISTS kv (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL)`);
  db.prepare("DELETE FROM kv WHERE expires_at <= ?").run(Date.now());
  const read = db.prepare("SELECT value FROM kv WHERE key = ? AND expires_at > ?");
  const write = db.prepare(
    "INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
  );
  const remove = db.prepare("DELETE FROM kv WHERE key = ?");
  const claim = db.prepare(
    "INSERT INTO kv (key, value, expires_at) VALUES (?, '1', ?) ON CONFLICT(key) DO UPDATE SET value = '1', expires_at = excluded.expires_at WHERE kv.expires_at <= ?",
  );
  const live = db.prepare("SELECT 1 FROM kv WHERE key = ? AND expires_at > ?");
  const expire = db.prepare("DELETE FROM kv WHERE expires_at <= ?");
  let nextSweep = Date.now() + 600_000;
  return {
    kind: "sqlite",
    storage<T>(namespace: string): StorageAdapter<T> {
      const k = (key: string) => `${namespace}:${key}`;
      return {
        read(key) {
          const row = read.get(k(key), Date.now()) as { value: string } | undefined;
          return row ? (JSON.parse(row.value) as T) : undefined;
        },
        write(key, value) {
          write.run(k(key), JSON.stringify(value), Date.now() + ttlSeconds * 1000);
        },
        delete(key) {
          remove.run(k(key));
        },
      };
    },
    // On disk, so that an update fetched again after a crash (kill -9) is still seen as handled.
    async seen(key) {
      return live.get(`once:${key}`, Date.now()) !== undefined;
    },
    async claimOnce(key, ttl) {
      const now = Date.now();
      if (now > nextSweep) {
        nextSweep = now + 600_000;
        expire.run(now);
      }
      return claim.run(`once:${key}`, now + ttl * 1000, now).changes === 1;
    },
    // One bot process runs on the embedded store: its flood counts are its own.
    ...localBuckets(),
    available: () => true,
    async ping() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
