import { countyFactsOf, DIVISIONS, type CountyFacts } from "./index.js";

/**
 * A place name as a key: Arabic ي/ك/ى/ة folded to Persian, آ/أ/إ to ا, Persian and Arabic
 * digits to Latin, ZWNJ, tatweel, diacritics, punctuation and spaces taken out, Latin
 * lowercased, and «شهرستان» (county) dropped from the front. «علي آباد كتول» and
 * «علی‌آباد کتول» are one key.
 */
export function placeKey(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[يى]/g, "ی")
    .replace(/ك/g, "ک")
    .replace(/ة/g, "ه")
    .replace(/[آأإ]/g, "ا")
    .replace(/ؤ/g, "و")
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
    .toLowerCase()
    .trim()
    .replace(/^(شهرستان|county of)\s*/u, "")
    .replace(/\s*county$/u, "")
    .replace(/[\s\u200c\u200d\u200e\u200f\-_'’.,،()«»"]/gu, "");
}

/** What a typed county is: certainly one county, probably one (to confirm), or none of the province's. */
export type CountyMatch =
  | { kind: "exact"; county: string }
  | { kind: "close"; county: string }
  | { kind: "none" };

const namesOf = (c: CountyFacts) => ({
  names: [c.fa, c.en].map(placeKey),
  aliases: [...c.aliases, ...c.aliases_en].map(placeKey),
});

/** Edit distance, stopping early beyond `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      least = Math.min(least, row[j]!);
    }
    if (least > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * A typed county within the chosen province: a county's name beats another's
 * alias («نورآباد» is a seat in two provinces; the province decides), and a
 * near miss (a letter or two off, by the name's length) is offered to confirm.
 * `extra` are more labels per county (the locales' own, such as «تالش»).
 */
export function resolveCounty(
  province: string,
  typed: string,
  extra: (county: string) => readonly string[] = () => [],
): CountyMatch {
  const key = placeKey(typed);
  if (key.length < 2) return { kind: "none" };
  const counties = countyFactsOf(province).map((c) => {
    const n = namesOf(c);
    return { id: c.id, names: [...n.names, ...extra(c.id).map(placeKey)], aliases: n.aliases };
  });
  const named = counties.find((c) => c.names.includes(key));
  if (named) return { kind: "exact", county: named.id };
  const aliased = counties.filter((c) => c.aliases.includes(key));
  if (aliased.length === 1) return { kind: "exact", county: aliased[0]!.id };
  // Close: the nearest name or alias within a letter for short names, two for longer ones; a tie is no answer.
  const max = key.length <= 4 ? 1 : 2;
  let best: { id: string; d: number } | undefined;
  let tie = false;
  for (const c of counties) {
    const d = Math.min(...[...c.names, ...c.aliases].map((n) => distance(key, n, max)));
    if (d > max) continue;
    if (!best || d < best.d) [best, tie] = [{ id: c.id, d }, false];
    else if (d === best.d && best.id !== c.id) tie = true;
  }
  return best && !tie ? { kind: "close", county: best.id } : { kind: "none" };
}

/** A typed county anywhere in Iran (no province chosen): the province and county, when only one fits exactly. */
export function resolveCountyAnywhere(typed: string): { province: string; county: string } | null {
  const found = DIVISIONS.flatMap((p) => {
    const m = resolveCounty(p.id, typed);
    return m.kind === "exact" ? [{ province: p.id, county: m.county }] : [];
  });
  return found.length === 1 ? found[0]! : null;
}
