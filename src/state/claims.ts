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
