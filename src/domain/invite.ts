import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { typedDigitsOf } from "./normalize.js";

/**
 * Invitation links: `/start inv_<id>_<signature>`. The id is random and
 * stored (with the role, scope, expiry and whoever used it); the signature
 * is an HMAC of the id under the deployment's secret, so a forged or altered
 * link is refused before the store is even asked.
 */
const PAYLOAD = /^inv_([a-z0-9]{12})_([A-Za-z0-9_-]{16})$/;

export const isInvitePayload = (payload: string) => payload.startsWith("inv_");

export const newInviteId = () =>
  [...randomBytes(12)].map((b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");

/** `sign` is the deployment's keyed MAC (base64url); 16 characters of it travel in the link. */
export const invitePayload = (id: string, sign: (id: string) => string) => `inv_${id}_${sign(id).slice(0, 16)}`;

/**
 * An invitation as twelve digits to type («۱۲۳۴ ۵۶۷۸ ۹۰۱۲»), for a messenger whose links open the bot without
 * their payload, or a link that cannot be tapped: from the same keyed MAC (so unguessable without the deployment's
 * key), found among the open invitations, with a few tries a day per account.
 */
export function inviteDigits(id: string, sign: (id: string) => string): string {
  const h = createHash("sha256")
    .update(sign(`digits:${id}`))
    .digest();
  return String(Number(h.readBigUInt64BE(0) % 1_000_000_000_000n)).padStart(12, "0");
}

/** Twelve digits as typed (Persian, Arabic or Latin; spaces or dashes between groups), or undefined. */
export const typedInviteDigits = (text: string) => typedDigitsOf(text, 12);

/** Twelve digits in groups of four, as shown: `1234 5678 9012`. */
export const groupedDigits = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, "$1 ");

/** How many invitation codes an account may type in a day. */
export const INVITE_DIGITS_TRIES = 5;

/** The invite id, if the payload is well-formed and its signature is right. */
export function verifyInvite(payload: string, sign: (id: string) => string): string | undefined {
  const m = PAYLOAD.exec(payload);
  if (!m) return undefined;
  const expected = Buffer.from(sign(m[1]!).slice(0, 16));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1] : undefined;
}
