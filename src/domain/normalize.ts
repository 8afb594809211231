/**
 * Text normalisation for what people type on Persian keyboards: Arabic
 * letter forms to Persian, Persian and Arabic-Indic digits to ASCII, ZWNJ
 * (نیم‌فاصله) tidied, diacritics and tatweel removed, whitespace collapsed.
 */

const LETTERS: Record<string, string> = {
  "\u064A": "\u06CC", // ي → ی
  "\u0649": "\u06CC", // ى → ی
  "\u0643": "\u06A9", // ك → ک
  "\u0629": "\u0647", // ة → ه
};

const ZWNJ = "\u200C";

export function normalizeDigits(text: string): string {
  return text
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

export function normalizeText(text: string): string {
  return normalizeDigits(text.normalize("NFC"))
    .replace(/[\u064A\u0649\u0643\u0629]/g, (c) => LETTERS[c] ?? c)
    .replace(/[\u064B-\u065F\u0670\u0640]/g, "") // harakat, superscript alef, tatweel
    .replace(/[\u200B\u200D\u2060\uFEFF]/g, "") // zero-width spaces and joiners (but not ZWNJ)
    .replace(/\u200C{2,}/g, ZWNJ)
    .replace(/\s*\u200C\s*/g, (m) => (/\s/.test(m) ? " " : ZWNJ))
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\u200C+|\u200C+$/g, "");
}

/** Text to find as it is inside a regular expression (a search box's text, for MongoDB's $regex). */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
