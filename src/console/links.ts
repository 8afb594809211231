import { randomBytes, timingSafeEqual } from "node:crypto";
import { PLATFORMS, type Platform } from "../platforms/capabilities.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { IdentityRef } from "../store/port/index.js";

/** How long a sign-in link from `/console` works. */
export const LINK_SECONDS = 5 * 60;

export interface LinkDeps {
  /** A keyed signature of the payload (the PII key's HMAC, purpose "console-link"). */
  sign(payload: string): string;
  /**
   * True the first time a key is claimed, across every worker: a link works
   * once. Kept in the store (not only the shared state), so that a worker
   * cut off from Redis cannot spend a link another worker spent.
   */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  /** Whether a key was claimed (a link already used), without claiming it. */
  claimed(key: string): Promise<boolean>;
}

export type LinkRefusal = "malformed" | "forged" | "expired" | "used";

/**
 * A one-time sign-in link's token: who, until when, and a nonce, signed.
 * Nothing secret is in it (an account reference); the signature makes it
 * unforgeable, the expiry short, and the nonce's claim single-use.
 */
export function makeLinkToken(d: Pick<LinkDeps, "sign">, ref: IdentityRef, now = Date.now()): string {
  const payload = [
    ref.platform,
    ref.userId,
    Math.floor(now / 1000) + LINK_SECONDS,
    randomBytes(12).toString("hex"),
  ].join(":");
  return `${Buffer.from(payload).toString("base64url")}.${d.sign(payload)}`;
}

/**
 * A link's account if it could be redeemed now, without spending it: the
 * sign-in page a GET shows (a link preview or a scanner fetching it spends
 * nothing; only the page's button, a POST, does).
 */
export async function checkLinkToken(
  d: LinkDeps,
  token: string,
  now = Date.now(),
): Promise<Result<IdentityRef, LinkRefusal>> {
  const read = readLinkToken(d, token, now);
  if (!read.ok) return read;
  if (await d.claimed(`console-link:${read.value.nonce}`)) return fail("used");
  return ok(read.value.ref);
}

/** The account a link signs in, once: refused when it is not ours, out of date, or already used. */
export async function redeemLinkToken(
  d: LinkDeps,
  token: string,
  now = Date.now(),
): Promise<Result<IdentityRef, LinkRefusal>> {
  const read = readLinkToken(d, token, now);
  if (!read.ok) return read;
  if (!(await d.claimOnce(`console-link:${read.value.nonce}`, LINK_SECONDS + 60))) return fail("used");
  return ok(read.value.ref);
}

function readLinkToken(
  d: Pick<LinkDeps, "sign">,
  token: string,
  now: number,
): Result<{ ref: IdentityRef; nonce: string }, LinkRefusal> {
  const [encoded, signature, extra] = token.split(".");
  if (!encoded || !signature || extra !== undefined || token.length > 400) return fail("malformed");
  const payload = Buffer.from(encoded, "base64url").toString();
  const [platform, userId, expires, nonce, more] = payload.split(":");
  if (!platform || !userId || !expires || !nonce || more !== undefined || !PLATFORMS.includes(platform as Platform))
    return fail("malformed");
  const expected = Buffer.from(d.sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return fail("forged");
  if (Number(expires) * 1000 < now) return fail("expired");
  return ok({ ref: { platform: platform as Platform, userId }, nonce });
}
