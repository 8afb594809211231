import type { StateBackend } from "./index.js";

/** `claimOnce` for one process: keys remembered until they expire, at most `max` of them. */
export function localClaims(max = 100_000): StateBackend["claimOnce"] {
  const seen = new Map<string, number>();
  return async (key, ttlSeconds) => {
    const now = Date.now();
    const until = seen.get(key);
    if (until !== undefined && until > now) return false;
    seen.delete(key);
    seen.set(key, now + ttlSeconds * 1000);
    // Oldest first: drop what expired, and the oldest beyond the cap.
    for (const [k, t] of seen) {
      if (seen.size <= max && t > now) break;
      seen.delete(k);
    }
    return true;
  };
}
