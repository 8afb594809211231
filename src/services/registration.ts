import { DEFAULT_NOTIFY, isComplete, type RegistrationDraft } from "../domain/registration.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Slot } from "../domain/taxonomy.js";
import { newVolunteerCode } from "../domain/volunteer-code.js";
import { isStoreUnavailable } from "../store/port/index.js";
import type { Platform } from "../platforms/capabilities.js";
import {
  DuplicateError,
  type IdentityRef,
  type NewIdentity,
  type Person,
  type PersonPatch,
  type Store,
} from "../store/port/index.js";

/**
 * Registration and profile services: plain functions over the store port,
 * called from conversations through `conversation.external`. Everything they
 * return is plain JSON, so that conversation replays stay exact.
 */

export interface RegistrationStart {
  personId: string;
  registered: boolean;
  draft: RegistrationDraft;
}

export async function beginRegistration(
  store: Store,
  identity: NewIdentity,
  /** The sender's record if this update already loaded it (saves loading it again). */
  known?: Person | null,
): Promise<RegistrationStart> {
  const reuse = known?.identities.some(
    (i) => i.platform === identity.platform && i.userId === identity.userId && i.chatId === identity.chatId,
  );
  const person = reuse ? known! : (await store.people.ensure(identity)).person;
  const draft = (await store.people.getDraft(person.id)) ?? { v: 1 };
  return { personId: person.id, registered: person.registeredAt !== null, draft };
}

export const saveDraft = (store: Store, personId: string, draft: RegistrationDraft) =>
  store.people.saveDraft(personId, draft);

/** Whether a national ID is free for this person (without saying whose it is otherwise). */
export async function nationalIdAvailable(store: Store, personId: string, nationalId: string): Promise<boolean> {
  const owner = await store.people.findByNationalId(nationalId);
  return !owner || owner.id === personId;
}

/** What a phone number means for this registration: free, in use by someone else, or the person's own elsewhere. */
export type PhoneOwner =
  | { type: "free" }
  /** Another registration has it, and nothing proves both are this person: say so, reveal nobody. */
  | { type: "in_use" }
  /** A registration on another platform whose number was shared from the platform, as this one was: link? */
  | { type: "link"; personId: string; platform: Platform };

/**
 * Who else holds this phone. Linking two platforms' registrations is offered
 * only when both numbers were verified by a contact share: a number typed by
 * hand proves nothing, so it can neither claim nor be claimed by another
 * registration.
 */
export async function phoneOwner(
  store: Store,
  personId: string,
  platform: Platform,
  phone: string,
  verified: boolean,
): Promise<PhoneOwner> {
  const others = (await store.people.findByPhone(phone)).filter((p) => p.id !== personId && p.registeredAt);
  if (others.length === 0) return { type: "free" };
  if (verified) {
    for (const p of others) {
      const other = p.identities.find((i) => i.platform !== platform);
      if (p.phoneVerified && other && !p.identities.some((i) => i.platform === platform))
        return { type: "link", personId: p.id, platform: other.platform };
    }
  }
  return { type: "in_use" };
}

export async function linkAccounts(
  store: Store,
  ref: IdentityRef,
  toPersonId: string,
): Promise<{ code: string | null }> {
  const person = await store.people.transferIdentity(ref, toPersonId);
  return { code: person.volunteerCode };
}

export function draftToPatch(draft: RegistrationDraft): PersonPatch {
  return {
    // A name given without a title clears one given before.
    title: draft.firstName === undefined ? undefined : (draft.title ?? null),
    firstName: draft.firstName,
    lastName: draft.lastName,
    phone: draft.phone,
    phoneVerified: draft.phone === undefined ? undefined : draft.phoneVerified === true,
    nationalId: draft.nationalId,
    birthYear: draft.birthYear,
    gender: draft.gender,
    province: draft.province,
    county: draft.county,
    neighbourhood: draft.neighbourhood,
    location: draft.location ?? null,
    skills: draft.skills,
    roles: draft.roles,
    availability: draft.availability,
    notify: draft.notify ?? DEFAULT_NOTIFY,
    consentAt: draft.consentAt ? new Date(draft.consentAt) : undefined,
  };
}

export function personToDraft(p: Person): RegistrationDraft {
  const opt = <T>(v: T | null) => v ?? undefined;
  return {
    v: 1,
    consentAt: p.consentAt?.toISOString(),
    title: opt(p.title ?? null),
    firstName: opt(p.firstName),
    lastName: opt(p.lastName),
    phone: opt(p.phone),
    phoneVerified: p.phone ? p.phoneVerified : undefined,
    nationalId: opt(p.nationalId),
    birthYear: opt(p.birthYear),
    gender: opt(p.gender),
    province: opt(p.province) as RegistrationDraft["province"],
    county: opt(p.county),
    neighbourhood: opt(p.neighbourhood),
    location: opt(p.location),
    skills: p.skills as RegistrationDraft["skills"],
    roles: p.roles as RegistrationDraft["roles"],
    availability: p.availability
      ? { slots: p.availability.slots as Slot[], hoursPerWeek: p.availability.hoursPerWeek }
      : undefined,
    notify: p.notify,
  };
}

/** Saves a complete draft as the person's profile, gives a volunteer code, clears the draft. */
export async function completeRegistration(
  store: Store,
  personId: string,
  draft: RegistrationDraft,
  now: Date,
): Promise<Result<string, "national_id_taken" | "incomplete" | "unavailable">> {
  if (!isComplete(draft)) return fail("incomplete");
  for (let attempt = 0; ; attempt++) {
    const code = newVolunteerCode();
    try {
      const patch = draftToPatch(draft);
      await store.people.update(personId, {
        ...patch,
        // The name of record, printed on certificates: a later change in /profile does not move it.
        registeredName: [patch.title, patch.firstName, patch.lastName].filter(Boolean).join(" ") || null,
        volunteerCode: code,
        registeredAt: now,
      });
      await store.people.saveDraft(personId, null);
      return ok(code);
    } catch (e) {
      if (e instanceof DuplicateError && e.field === "nationalId") return fail("national_id_taken");
      if (e instanceof DuplicateError && e.field === "volunteerCode" && attempt < 5) continue;
      if (isStoreUnavailable(e)) return fail("unavailable");
      throw e;
    }
  }
}

/** Applies one edited field of a registered person's profile. */
export async function saveProfileEdit(
  store: Store,
  personId: string,
  patch: Partial<RegistrationDraft>,
): Promise<Result<null, "national_id_taken">> {
  const full = draftToPatch({ v: 1, ...patch });
  // Only the fields the edit touched (draftToPatch fills in the rest).
  const only = Object.fromEntries(
    Object.entries(full).filter(([k, v]) => v !== undefined && k in patch),
  ) as PersonPatch;
  if ("province" in patch) only.county = patch.county ?? null;
  try {
    await store.people.update(personId, only);
    return ok(null);
  } catch (e) {
    if (e instanceof DuplicateError && e.field === "nationalId") return fail("national_id_taken");
    throw e;
  }
}
