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

/** Exactly `n` digits as typed (Persian, Arabic or Latin; spaces, dashes or ZWNJ between groups), in Latin, or undefined. */
export function typedDigitsOf(text: string, n: number): string | undefined {
  const latin = normalizeDigits(text).replace(/[\s\-\u200C]/g, "");
  return latin.length === n && /^\d+$/.test(latin) ? latin : undefined;
}

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

/** Embeddings and overrides: LRE, RLE, PDF, LRO, RLO. Never kept: they reorder what follows them. */
const EMBEDDINGS = /[\u202A-\u202E]/;
const ISOLATE_OPEN = /[\u2066-\u2068]/;
const ISOLATE_CLOSE = "\u2069";

/**
 * Free text without the bidirectional controls that can make it read other
 * than it is («Trojan Source»): embeddings and overrides (U+202A–U+202E)
 * always, isolates (U+2066–U+2069) when unpaired. Returns the text and the
 * UTF-16 positions removed (a message's entities are moved by them).
 */
export function stripBidiControls(text: string): { text: string; removed: number[] } {
  if (!/[\u202A-\u202E\u2066-\u2069]/.test(text)) return { text, removed: [] };
  const drop = new Set<number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (EMBEDDINGS.test(c)) drop.add(i);
    else if (ISOLATE_OPEN.test(c)) open.push(i);
    else if (c === ISOLATE_CLOSE) {
      if (open.length > 0) open.pop();
      else drop.add(i);
    }
  }
  for (const i of open) drop.add(i);
  const removed = [...drop].sort((a, b) => a - b);
  return { text: dropAt(text, drop), removed };
}

const dropAt = (text: string, drop: Set<number>) => {
  let out = "";
  for (let i = 0; i < text.length; i++) if (!drop.has(i)) out += text[i];
  return out;
};

/** Letters and digits in a text (any script): what a reason must have some of to say anything. */
export const visibleCharacters = (text: string) => (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
