/**
 * A full name as Iranians write it, cut into title, first name and last name.
 * Compound first names are common (محمد رضا، علی اکبر، فاطمه زهرا، امیر حسین)
 * and a title often comes first (سید، سیده): «محمد رضا کریمی» is not first name
 * «محمد» and last name «رضا کریمی». With three words or more the cut is a
 * guess, so the person is shown the likeliest and may pick another with a tap.
 */

export interface NameSplit {
  title: string | null;
  firstName: string;
  lastName: string;
}

/** Written before a name, kept apart from it. */
const TITLES = new Set(["سید", "سیده", "حاج", "حاجی", "حاجیه", "دکتر", "مهندس"]);

/** The second half of a compound first name (its first half is any name: «محمد رضا», «فاطمه زهرا», «غلام حسین»). */
const SECOND_PARTS = new Set([
  "رضا",
  "حسین",
  "حسن",
  "علی",
  "اکبر",
  "اصغر",
  "مهدی",
  "جواد",
  "باقر",
  "صادق",
  "کاظم",
  "تقی",
  "هادی",
  "امین",
  "محمد",
  "زهرا",
  "سادات",
  "بیگم",
  "خانم",
  "الله",
  "اله",
  "رحیم",
  "رحمان",
  "کریم",
]);

/** Every way to cut these words (at least two after a title), the likeliest first. */
export function nameSplits(words: readonly string[]): NameSplit[] {
  const titled = words.length >= 3 && TITLES.has(words[0]!);
  const rest = titled ? words.slice(1) : [...words];
  const title = titled ? words[0]! : null;
  const cuts = Array.from({ length: rest.length - 1 }, (_, i) => ({
    title,
    firstName: rest.slice(0, i + 1).join(" "),
    lastName: rest.slice(i + 1).join(" "),
  }));
  // A compound first name when the second word is a known second half and a last name is left.
  const compound = rest.length >= 3 && SECOND_PARTS.has(rest[1]!);
  const likeliest = compound ? 1 : 0;
  const splits = [cuts[likeliest]!, ...cuts.filter((_, i) => i !== likeliest)];
  // The title read as part of the first name («سید علی»), last: some people write it so.
  if (titled)
    splits.push({ title: null, firstName: `${title} ${splits[0]!.firstName}`, lastName: splits[0]!.lastName });
  return splits;
}

/** Whether a name needs the person to confirm its cut (three words or more). */
export const nameIsAmbiguous = (words: readonly string[]) => words.length >= 3;
