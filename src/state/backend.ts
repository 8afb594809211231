import type { StorageAdapter } from "grammy";

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
  /**
   * A token bucket of `burst` tokens refilled at `perSecond`: true when a
   * token was taken. Shared by every worker with Redis (in this process while
   * it is unreachable, and otherwise). The flood guard's per-person counts.
   */
  takeToken(key: string, burst: number, perSecond: number): Promise<boolean>;
  /** Whether a key is claimed now (without claiming it). */
  seen(key: string): Promise<boolean>;
  /** False while a shared backend (Redis) is unreachable and this process stands in for it. */
  available(): boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}
