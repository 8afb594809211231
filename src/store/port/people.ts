import type { Gender, GeoPoint, Language } from "../../domain/person.js";
import type { Availability, NotifyPrefs, RegistrationDraft } from "../../domain/registration.js";
import type { Recipient, Segment } from "../../domain/segment.js";
import type { Platform } from "../../platforms/capabilities.js";

/** People and their platform identities. */

/** One account of a person on one platform. */
export interface Identity {
  platform: Platform;
  /** The platform's user id, as a decimal string. */
  userId: string;
  /** The private chat the bot writes to. */
  chatId: string;
  /** False once the platform said the user blocked the bot or the chat is gone. */
  reachable: boolean;
  linkedAt: Date;
}

/** A person as services see it: personal data already decrypted. */
export interface Person {
  id: string;
  identities: Identity[];
  language: Language | null;
  /** The deep-link payload that first brought the person (campaign or centre code). */
  source: string | null;
  /** A title written before the name and kept apart from it («سید», «سیده», «حاج», «دکتر»), or null. */
  title?: string | null;
  firstName: string | null;
  lastName: string | null;
  /**
   * The name of record: the one given at registration, or corrected by a coordinator (audited). Certificates
   * print it, never a name changed in `/profile` a minute before. Null before registration.
   */
  registeredName?: string | null;
  /** Mobile in canonical form `09xxxxxxxxx`; encrypted at rest. */
  phone: string | null;
  /** Whether the phone came from a contact the platform shared (the person's own), not typed. */
  phoneVerified: boolean;
  /** 10-digit national ID; encrypted at rest. */
  nationalId: string | null;
  birthYear: number | null;
  gender: Gender | null;
  province: string | null;
  county: string | null;
  neighbourhood: string | null;
  location: GeoPoint | null;
  /** Skill ids from the taxonomy. */
  skills: string[];
  /** Role ids from the taxonomy. */
  roles: string[];
  availability: Availability | null;
  notify: NotifyPrefs;
  /** Short code shown to the volunteer once registered, e.g. `HM-7K3P9Q`. */
  volunteerCode: string | null;
  consentAt: Date | null;
  registeredAt: Date | null;
  /** When a coordinator marked the person a veteran (pishkesvat). */
  veteranMarkedAt: Date | null;
  /** Set when the person asked to erase their data; only anonymous fields remain. */
  erasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields a service may change. `null` clears a field; absent leaves it. */
export type PersonPatch = Partial<Omit<Person, "id" | "identities" | "createdAt" | "updatedAt" | "erasedAt">>;

/** What erasure keeps: anonymous fields that reports count. Everything else is cleared. */
export const KEPT_ON_ERASE = ["source", "gender", "province", "county", "skills", "roles", "registeredAt"] as const;

/** What an erasure leaves the caller to clear outside the store: the accounts the person used. */
export interface ErasedPerson {
  identities: NewIdentity[];
  /** The person's accounts as the audit log names them (`platform:userId`), now replaced by `pseudonym`. */
  actorIds: string[];
  /** The stable pseudonym that stands for them in the audit log and other records of who did what. */
  pseudonym: string;
}

export interface IdentityRef {
  platform: Platform;
  userId: string;
}

export interface NewIdentity extends IdentityRef {
  chatId: string;
}

/** Where a page of people ends: the next page starts after it. */
export interface PageKey {
  registeredAt: Date;
  id: string;
}

/**
 * Which registered volunteers a coordinator's table shows: every field
 * narrows (a list: any of its values). The places a coordinator may see are
 * `provinces`, set by the caller from their grants.
 */
export interface VolunteerFilter {
  provinces?: string[];
  counties?: string[];
  skills?: string[];
  roles?: string[];
  sources?: string[];
  /** Free in at least one of these weekly slots (`sat.morning`). */
  slots?: string[];
  /** Registered at or after this instant. */
  registeredSince?: Date;
  /** Marked a veteran, or registered at least this many years ago. */
  veterans?: { minYears: number };
  /** Part of the name, the neighbourhood or the volunteer code, already normalised (`normalizeText`). */
  text?: string;
}

export interface PeopleRepository {
  get(id: string): Promise<Person | null>;
  findByIdentity(ref: IdentityRef): Promise<Person | null>;
  /**
   * Returns the person behind an identity, creating them (with `defaults`)
   * when the identity is new. Atomic: concurrent calls create one person.
   */
  ensure(
    identity: NewIdentity,
    defaults?: Pick<PersonPatch, "language" | "source">,
  ): Promise<{ person: Person; created: boolean }>;
  /** Applies a patch; throws {@link DuplicateError} or {@link NotFoundError}. */
  update(id: string, patch: PersonPatch): Promise<Person>;
  /** Sets `source` only if the person has none yet (first touch wins). */
  setSourceIfEmpty(id: string, source: string): Promise<Person>;
  findByNationalId(nationalId: string): Promise<Person | null>;
  findByVolunteerCode(code: string): Promise<Person | null>;
  findByPhone(phone: string): Promise<Person[]>;
  /** Attaches another platform identity to a person (cross-platform linking). */
  linkIdentity(personId: string, identity: NewIdentity): Promise<Person>;
  setReachable(ref: IdentityRef, reachable: boolean): Promise<void>;
  /**
   * Moves an identity to another person (cross-platform linking). The person
   * it leaves is deleted if it has no identity left and never registered.
   */
  transferIdentity(ref: IdentityRef, toPersonId: string): Promise<Person>;
  /** The unfinished registration, decrypted; `null` when there is none. */
  getDraft(id: string): Promise<RegistrationDraft | null>;
  /** Saves (sealed, since it holds personal data) or clears the draft. */
  saveDraft(id: string, draft: RegistrationDraft | null): Promise<void>;
  /**
   * Erases a person, everywhere in the store, in one go: their names, phone,
   * national ID, birth year, place details, location, draft, code and every
   * identity; the one-to-one messages to them (and what any pending delivery
   * would have said); their pledges and «I'm in» answers; the notes of needs
   * they wrote and of ledger entries about them; their roles and the open
   * invitations they made. Who-did-what records (audit log, grants given,
   * needs posted, decisions) keep their rows with the person's accounts
   * replaced by a stable pseudonym. Keeps only {@link KEPT_ON_ERASE} and the
   * ledger's postings so that anonymous counts (registrations, hours) stay
   * right.
   */
  erase(id: string): Promise<ErasedPerson>;
  /**
   * Registered, not erased people with campaign messages on, matching the
   * segment, one entry per reachable identity (platform).
   */
  segment(segment: Segment): Promise<Recipient[]>;
  count(): Promise<number>;
  /**
   * Everyone not erased who first wrote to the bot at or after `since` (all
   * when `null`): the province of each who registered, and the decrypted draft
   * of each who did not (`null`: not past the consent). The registration
   * funnel is made from it.
   */
  registrationFunnel(
    since: Date | null,
  ): Promise<{ registered: (string | null)[]; unfinished: { personId: string; draft: RegistrationDraft | null }[] }>;
  /**
   * Registered, not erased people who pass the filter, by registration time
   * then id, a page at a time: keyset paging, the page after `after` (the
   * last person of the previous page; null for the first).
   */
  listRegistered(filter: VolunteerFilter, after: PageKey | null, limit: number): Promise<Person[]>;
}
