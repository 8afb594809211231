import { randomInt } from "node:crypto";

/** Crockford-like alphabet without look-alikes (no 0/O, 1/I/L, U). */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A short code a volunteer can read out at a centre, e.g. `HM-7K3P9Q`. */
export function newVolunteerCode(): string {
  let code = "";
  for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `HM-${code}`;
}
