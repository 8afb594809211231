import type { StateBackend } from "./backend.js";

/** `claimOnce` and `seen` for one process: keys remembered until they expire, at most `max` of them. */
export function localClaims(max = 100_000): Pick<StateBackend, "claimOnce" | "seen"> {
  const claims = new Map<string, number>();
  const live = (key: string, now: number) => (claims.get(key) ?? 0) > now;
  return {
    async seen(key) {
      return live(key, Date.now());
    },
    async claimOnce(key, ttlSeconds) {
      const now = Date.now();
      if (live(key, now)) return false;
      claims.delete(key);
      claims.set(key, now + ttlSeconds * 1000);
      // Oldest first: drop what expired, and the oldest beyond the cap.
      for (const [k, t] of claims) {
        if (claims.size <= max && t > now) break;
        claims.delete(k);
      }
      return true;
    },
  };
}

/** `takeToken` for one process: buckets kept until they would be full again, at most `max` of them. */
export function localBuckets(max = 100_000): Pick<StateBackend, "takeToken"> {
  const buckets = new Map<string, { tokens: number; at: number; full: number }>();
  return {
    async takeToken(key, burst, perSecond) {
      const now = Date.now();
      const b = buckets.get(key) ?? { tokens: burst, at: now, full: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
      const taken = b.tokens >= 1;
      if (taken) b.tokens -= 1;
      b.full = now + ((burst - b.tokens) / perSecond) * 1000;
      buckets.delete(key);
      buckets.set(key, b);
      // Least recently used first: drop buckets that are full again (nothing to remember), and the oldest beyond the cap.
      for (const [k, old] of buckets) {
        if (buckets.size <= max && old.full > now) break;
        buckets.delete(k);
      }
      return taken;
    },
  };
}
