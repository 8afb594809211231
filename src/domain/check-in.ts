import { createHash, timingSafeEqual } from "node:crypto";
import { typedDigitsOf } from "./normalize.js";

/**
 * A centre's check-in link: `/start ci_<centre code>_<signature>`, printed as
 * a QR code at the centre's door. The signature is the deployment's keyed MAC
 * (16 characters travel) of the centre's code, the local date and the
 * generation of its codes ({@link checkInSubject}): a link works on its day
 * only, and a centre retires all of its links at once by rotating. A link
 * for a centre that was never issued, or an altered one, is refused. The
 * code part has no underscore, so the split is unambiguous.
 */
const PAYLOAD = /^ci_([A-Za-z0-9-]{1,40})_([A-Za-z0-9_-]{16})$/;

export const isCheckInPayload = (payload: string) => payload.startsWith("ci_");

export const checkInPayload = (centreCode: string, sign: (code: string) => string) =>
  `ci_${centreCode}_${sign(centreCode).slice(0, 16)}`;

/** What a day's check-in code signs: the centre, its local date (`YYYY-MM-DD`) and its codes' generation. */
export const checkInSubject = (centreCode: string, day: string, epoch: number) => `${centreCode}:${day}:${epoch}`;

/**
 * A check-in whose shared location is farther than this from the centre is flagged for its coordinator
 * (never refused: a phone's location drifts by hundreds of metres indoors).
 */
export const CHECK_IN_FAR_METRES = 1000;

/**
 * A centre's check-in code for the day as six digits, to type where a phone cannot read the QR code or open the
 * link: from the same signature (so the same day and generation), checked only against the centres where the
 * person has a session in its check-in window, so six digits are enough.
 */
export function checkInDigits(centreCode: string, sign: (code: string) => string): string {
  const n = createHash("sha256").update(sign(centreCode)).digest().readUInt32BE(0) % 1_000_000;
  return String(n).padStart(6, "0");
}

/** Six digits as typed (Persian, Arabic or Latin, spaces or dashes between groups), or undefined. */
export const typedDigits = (text: string) => typedDigitsOf(text, 6);

/** How many codes a person may type in a day (a check-in and a check-in again, and a few mistakes). */
export const CHECK_IN_DIGITS_TRIES = 6;

/** The centre a payload names, before any signature is checked (to find its generation). */
export const checkInCentre = (payload: string): string | undefined => PAYLOAD.exec(payload.trim())?.[1];

/** The centre code, if the payload is well-formed and its signature is right. */
export function verifyCheckIn(payload: string, sign: (code: string) => string): string | undefined {
  const m = PAYLOAD.exec(payload.trim());
  if (!m) return undefined;
  const expected = Buffer.from(sign(m[1]!).slice(0, 16));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1] : undefined;
}
