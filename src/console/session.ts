import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { StorageAdapter } from "grammy";
import type { IdentityRef } from "../store/port/index.js";

/** A session ends after this long without a request, and on logout. */
export const IDLE_SECONDS = 8 * 60 * 60;
/** And this long after sign-in, however busy: a stolen cookie does not live for ever. */
export const ABSOLUTE_SECONDS = 12 * 60 * 60;
export const COOKIE = "hamdel_console";

export interface ConsoleSession {
  ref: IdentityRef;
  /** The token every state-changing form carries. */
  csrf: string;
  lastSeen: number;
  /** When it was signed in (sessions from before this field was kept count as expired). */
  createdAt?: number;
}

/**
 * Console sessions in the shared state (Redis with several workers; sealed
 * with the PII key like all state). The browser holds only a random id; the
 * state is keyed by its hash, so a read of the state yields no cookie.
 */
export class Sessions {
  constructor(private readonly storage: StorageAdapter<ConsoleSession>) {}

  async create(ref: IdentityRef, now = Date.now()): Promise<{ id: string; session: ConsoleSession }> {
    const id = randomBytes(32).toString("base64url");
    const session = { ref, csrf: randomBytes(24).toString("base64url"), lastSeen: now, createdAt: now };
    await this.storage.write(key(id), session);
    return { id, session };
  }

  /** The live session of a cookie (its idle time renewed), or undefined. */
  async get(id: string | undefined, now = Date.now()): Promise<ConsoleSession | undefined> {
    if (!id || id.length > 100) return undefined;
    const session = await this.storage.read(key(id));
    if (!session) return undefined;
    if (now - session.lastSeen > IDLE_SECONDS * 1000 || now - (session.createdAt ?? 0) > ABSOLUTE_SECONDS * 1000) {
      await this.storage.delete(key(id));
      return undefined;
    }
    // Renewed at most once a minute: a page of requests is not a page of writes.
    if (now - session.lastSeen > 60_000) await this.storage.write(key(id), { ...session, lastSeen: now });
    return session;
  }

  async end(id: string | undefined): Promise<void> {
    if (id) await this.storage.delete(key(id));
  }
}

const key = (id: string) => createHash("sha256").update(id).digest("hex");

/** Whether a form's token is the session's. */
export function csrfMatches(session: ConsoleSession, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
