import { jalaliYear } from "../../domain/jalali.js";
import { ROLE_SCREENING } from "../../domain/screening.js";
import type { Person } from "../../store/port/index.js";
import { nowOf, type MatchingDeps } from "./deps.js";

/** A person's age this Iranian year, from the birth year they gave (null: not given). */
export const ageOf = (person: Pick<Person, "birthYear">, now: Date, timeZone: string) =>
  person.birthYear ? jalaliYear(now, timeZone) - person.birthYear : null;

/**
 * Matching's safeguarding gate: of these people, those who meet every
 * requirement of `role` today (`ROLE_SCREENING`: checks done, unexpired) and
 * are old enough. An open role lets everyone through.
 */
export async function qualifiedFor(
  d: MatchingDeps,
  role: string | null,
  personIds: readonly string[],
): Promise<Set<string>> {
  const rules = role ? ROLE_SCREENING[role] : undefined;
  if (!rules || rules.requirements.length === 0) return new Set(personIds);
  const now = nowOf(d);
  const holders = await d.store.screening.holders(
    rules.requirements.map((r) => r.key),
    now,
  );
  const qualified = new Set<string>();
  for (const id of personIds.filter((p) => holders.has(p))) {
    const person = await d.store.people.get(id);
    const age = person ? ageOf(person, now, d.timeZone) : null;
    if (age !== null && age >= rules.minAge) qualified.add(id);
  }
  return qualified;
}
