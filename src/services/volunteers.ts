import { normalizeText } from "../domain/normalize.js";
import {
  AVAILABILITY_PRESETS,
  availabilityPreset,
  countiesOf,
  isProvince,
  isRole,
  isSkill,
  PROVINCES,
} from "../domain/taxonomy.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Logger } from "../logger.js";
import type { PageKey, Person, Store, VolunteerFilter } from "../store/port/index.js";
import { audit, headquartersScopeOf, type Actor } from "./access.js";

/** Rows per page of the volunteers table. */
export const TABLE_PAGE = 50;

/** What a coordinator asks of the volunteers table, as typed (every field checked here). */
export interface VolunteerQuery {
  province?: string;
  county?: string;
  skill?: string;
  role?: string;
  /** An availability pattern's name (`AVAILABILITY_PRESETS`). */
  free?: string;
  source?: string;
  /** Registered within this many days. */
  days?: string;
  veteran?: string;
  text?: string;
  /** The page after this person (`registeredAt ISO|id`). */
  after?: string;
}

export type VolunteersRefusal = "not_allowed" | "outside_scope" | "bad_query";

/**
 * The headquarters' view of volunteers (the console's table; the chat's
 * `/export` is the same scope): national admins see everyone, a provincial
 * admin their provinces, nobody else anyone. A province asked for outside the
 * scope is refused and audited, never silently narrowed.
 */
export async function volunteersPage(
  d: { store: Store; logger: Logger },
  actor: Actor,
  q: VolunteerQuery,
  now: Date,
): Promise<Result<{ people: Person[]; next: string | null; filter: VolunteerFilter }, VolunteersRefusal>> {
  const scope = headquartersScopeOf(actor);
  const refuse = async (code: VolunteersRefusal, target: string | null) => {
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "console.volunteers",
      scope: scopeText(scope),
      target,
      outcome: "refused",
    });
    return fail(code);
  };
  if (!scope) return refuse("not_allowed", null);
  const filter: VolunteerFilter = {};
  if (q.province) {
    if (!isProvince(q.province)) return fail("bad_query");
    if (scope.provinces && !scope.provinces.includes(q.province)) return refuse("outside_scope", q.province);
    filter.provinces = [q.province];
  } else if (scope.provinces) filter.provinces = scope.provinces;
  if (q.county) {
    const provinces = filter.provinces ?? PROVINCES.map((p) => p.id);
    if (!provinces.some((p) => countiesOf(p).includes(q.county!))) return fail("bad_query");
    filter.counties = [q.county];
  }
  if (q.skill) {
    if (!isSkill(q.skill)) return fail("bad_query");
    filter.skills = [q.skill];
  }
  if (q.role) {
    if (!isRole(q.role)) return fail("bad_query");
    filter.roles = [q.role];
  }
  if (q.free) {
    const preset = availabilityPreset(q.free);
    if (!preset) return fail("bad_query");
    filter.slots = [...AVAILABILITY_PRESETS[preset]];
  }
  if (q.source) filter.sources = [q.source.trim().slice(0, 60)];
  if (q.days) {
    const days = Number(q.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650) return fail("bad_query");
    filter.registeredSince = new Date(now.getTime() - days * 86_400_000);
  }
  if (q.veteran === "1") filter.veterans = { minYears: 3 };
  if (q.text) {
    const text = normalizeText(q.text).slice(0, 60);
    if (text) filter.text = text;
  }
  let after: PageKey | null = null;
  if (q.after) {
    const [at, id] = q.after.split("|");
    const registeredAt = new Date(at ?? "");
    if (!id || Number.isNaN(registeredAt.getTime())) return fail("bad_query");
    after = { registeredAt, id };
  }
  const people = await d.store.people.listRegistered(filter, after, TABLE_PAGE);
  const last = people.at(-1);
  const next = people.length === TABLE_PAGE && last ? `${last.registeredAt!.toISOString()}|${last.id}` : null;
  return ok({ people, next, filter });
}

/**
 * One volunteer's phone, for a coordinator whose scope holds them: audited
 * whether shown or refused (a reveal is an access to personal data).
 */
export async function revealPhone(
  d: { store: Store; logger: Logger },
  actor: Actor,
  personId: string,
): Promise<Result<Person, VolunteersRefusal>> {
  const scope = headquartersScopeOf(actor);
  const person = personId.length < 100 ? await d.store.people.get(personId) : null;
  const allowed =
    !!scope &&
    !!person?.registeredAt &&
    !person.erasedAt &&
    (scope.provinces === null || scope.provinces.includes(person.province ?? ""));
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "console.phone_reveal",
    scope: scopeText(scope),
    target: personId.slice(0, 100),
    outcome: allowed ? "ok" : "refused",
  });
  if (!allowed) return fail(scope ? "outside_scope" : "not_allowed");
  return ok(person);
}

const scopeText = (scope: { provinces: string[] | null } | undefined) =>
  scope ? (scope.provinces?.join(",") ?? "*") : "*";
