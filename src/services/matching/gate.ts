import { jalaliYear } from "../../domain/jalali.js";
import { ROLE_SCREENING, roleScreening } from "../../domain/screening.js";
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

/**
 * What a person still lacks today for a gated role: its requirements not
 * done (their keys), and `age` when too young; empty when qualified; null
 * for an open role. What a coordinator's list of candidates shows.
 */
export async function screeningGaps(
  d: MatchingDeps,
  role: string | null,
  person: Person | null,
): Promise<string[] | null> {
  const rules = role ? ROLE_SCREENING[role] : undefined;
  if (!role || !rules || rules.requirements.length === 0 || !person) return null;
  const now = nowOf(d);
  const s = roleScreening(role, await d.store.screening.of(person.id), now, ageOf(person, now, d.timeZone));
  return [
    ...s.states.filter((x) => x.state.state !== "done").map((x) => x.requirement.key),
    ...(s.oldEnough ? [] : ["age"]),
  ];
}
