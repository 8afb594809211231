import { knownSource } from "./sources.js";
import type { Language, NewIdentity, Person, Store } from "../store/port/index.js";
import type { IdentityRef } from "../store/port/index.js";

/**
 * What a person's own taps change on their record, outside a conversation:
 * the chat's features call these, never the store (one way in, as the
 * console's routes call the services).
 */

/** The person behind an account, made when it is new (an invitation opened before any /start). */
export async function ensurePerson(store: Store, identity: NewIdentity): Promise<Person> {
  return (await store.people.ensure(identity)).person;
}

/** The language chosen, stored on the person (made if needed). */
export async function setLanguage(store: Store, identity: NewIdentity, language: Language): Promise<void> {
  const { person } = await store.people.ensure(identity, { language });
  if (person.language !== language) await store.people.update(person.id, { language });
}

/** `/stop` and `/resume`: every notice off or on. */
export async function setAllNotices(store: Store, person: Person, on: boolean): Promise<void> {
  await store.people.update(person.id, { notify: { campaigns: on, matches: on } });
}

/** The button under a campaign message: campaign reminders off, match notices as they were. An erased person is left alone. */
export async function optOutOfCampaigns(store: Store, person: Person): Promise<void> {
  if (person.erasedAt) return;
  await store.people.update(person.id, { notify: { ...person.notify, campaigns: false } });
}

/** An account that blocked the bot (or wrote again after): broadcasts skip it, or reach it again. */
export async function setReachable(store: Store, ref: IdentityRef, reachable: boolean): Promise<void> {
  await store.people.setReachable(ref, reachable);
}

/** Where a person first came from (a campaign's deep link): kept once, never overwritten. */
export async function recordSource(store: Store, personId: string, source: string): Promise<void> {
  await store.people.setSourceIfEmpty(personId, source);
}

/**
 * A coordinator's name as their messenger shows it, kept when they hold a role and gave none of their own, so that
 * the audit log and `/roles` name them (not "user 90001 on Telegram"). A citizen's is never taken this way: they give
 * their name, or nothing, in the registration.
 */
export async function rememberCoordinatorName(
  store: Store,
  person: Person,
  from: { first_name?: string; last_name?: string },
): Promise<void> {
  if (person.firstName || person.registeredAt || person.erasedAt) return;
  const first = from.first_name?.trim().slice(0, 60);
  if (!first) return;
  await store.people.update(person.id, { firstName: first, lastName: from.last_name?.trim().slice(0, 60) || null });
}

/** What a `/start` did: the person (made if new), whether they are new, the deep link's source if it names one. */
export interface Arrival {
  person: Person;
  created: boolean;
  /** The deep link's source when it is known (a centre, a campaign); a first source is kept, never overwritten. */
  source?: string;
  /** A payload was given and named nothing known. */
  badPayload: boolean;
}

/** `/start [payload]`: the person made or found, and where they came from recorded once. */
export async function arrive(store: Store, identity: NewIdentity, payload: string): Promise<Arrival> {
  const source = payload ? await knownSource(store, payload) : undefined;
  let { person, created } = await store.people.ensure(identity, { source });
  if (!created && source) person = await store.people.setSourceIfEmpty(person.id, source);
  return { person, created, ...(source ? { source } : {}), badPayload: !!payload && !source };
}
