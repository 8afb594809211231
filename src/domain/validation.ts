import { nameIsAmbiguous, nameSplits, type NameSplit } from "./names.js";
import { normalizeDigits, normalizeText } from "./normalize.js";
import { fail, ok, type Result } from "./result.js";

/** Letters of Persian, Arabic and Latin scripts, with ZWNJ, space, hyphen, apostrophe. */
const NAME_PART =
  /^[\p{Script=Arabic}\p{Script=Latin}](?:[\p{Script=Arabic}\p{Script=Latin}\u200C' -]*[\p{Script=Arabic}\p{Script=Latin}])?$/u;

export type NameError = "name.invalid_chars" | "name.need_both" | "name.too_short" | "name.too_long";

/**
 * A full name in one message: the first word is the first name, the rest the
 * last name (Persian surnames often have several words).
 */
export function parseFullName(input: string): Result<NameSplit & { splits: NameSplit[] }, NameError> {
  const text = normalizeText(input);
  if (text.length > 60) return fail("name.too_long");
  const words = text.split(" ").filter(Boolean);
  if (words.some((w) => !NAME_PART.test(w))) return fail("name.invalid_chars");
  if (words.length < 2) return fail("name.need_both");
  // The likeliest cut (a compound first name, a title apart), and the others when there are three words or more.
  const splits = nameSplits(words);
  const { firstName, lastName } = splits[0]!;
  if ([...firstName].length < 2 || [...lastName.replace(/[\s\u200C]/g, "")].length < 2) return fail("name.too_short");
  return ok({ ...splits[0]!, splits: nameIsAmbiguous(words) ? splits : [] });
}

export type PhoneError = "phone.invalid";

/** An Iranian mobile in any common spelling → `09xxxxxxxxx`. */
export function parseIranMobile(input: string): Result<string, PhoneError> {
  const digits = normalizeDigits(input).replace(/[\s\-().\u200C\u200E\u200F]/g, "");
  const local = digits.replace(/^(?:\+98|0098|98(?=9\d{9}$)|0)(?=9)/, "");
  return /^9\d{9}$/.test(local) ? ok(`0${local}`) : fail("phone.invalid");
}

export type NationalIdError = "national_id.format" | "national_id.checksum";

/**
 * The Iranian national code: 10 digits (8–9 are left-padded with zeros, as
 * on old cards), the last a check digit over the first nine.
 */
export function parseNationalId(input: string): Result<string, NationalIdError> {
  const digits = normalizeDigits(input).replace(/[\s\-\u200C]/g, "");
  if (!/^\d{8,10}$/.test(digits)) return fail("national_id.format");
  const code = digits.padStart(10, "0");
  if (/^(\d)\1{9}$/.test(code)) return fail("national_id.checksum");
  const sum = [...code.slice(0, 9)].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const r = sum % 11;
  const check = Number(code[9]);
  return (r < 2 ? check === r : check === 11 - r) ? ok(code) : fail("national_id.checksum");
}

export type BirthYearError = "birth_year.format" | "birth_year.range";

/** Plausible ages for a volunteer, in Jalali years. */
export const MIN_AGE = 15;
export const MAX_AGE = 90;

export function birthYearRange(currentJalaliYear: number): { min: number; max: number } {
  return { min: currentJalaliYear - MAX_AGE, max: currentJalaliYear - MIN_AGE };
}

export function parseBirthYear(input: string, currentJalaliYear: number): Result<number, BirthYearError> {
  const text = normalizeDigits(input).trim();
  if (!/^\d{2,4}$/.test(text)) return fail("birth_year.format");
  // Two digits mean 13xx, as people write on forms ("69" in Persian digits → 1369).
  const year = text.length === 2 ? 1300 + Number(text) : Number(text);
  const { min, max } = birthYearRange(currentJalaliYear);
  return year >= min && year <= max ? ok(year) : fail("birth_year.range");
}

export type FreeTextError = "text.too_short" | "text.too_long" | "text.invalid_chars";

/** A short free-text place name (county, neighbourhood). */
export function parsePlaceName(input: string): Result<string, FreeTextError> {
  const text = normalizeText(input);
  if ([...text].length < 2) return fail("text.too_short");
  if ([...text].length > 80) return fail("text.too_long");
  if (!/^[\p{L}\p{N}\u200C ,.'()\-/]+$/u.test(text)) return fail("text.invalid_chars");
  return ok(text);
}

/** Iran's bounding box, to refuse an obviously wrong location. */
export const inIran = (lat: number, lon: number) => lat >= 25 && lat <= 40 && lon >= 44 && lon <= 63.5;
