import type { Platform } from "../platforms/capabilities.js";
import type { Availability, NotifyPrefs, RegistrationDraft } from "../domain/registration.js";
import type { Recipient, Segment } from "../domain/segment.js";
import type {
  AccessRepository,
  CentreRepository,
  LedgerRepository,
  NeedRepository,
  ReportRepository,
} from "./port-timebank.js";

export * from "./port-timebank.js";

/**
 * The store port: every repository the services use, independent of the
 * database. `sqlite/` and `mongo/` implement it, and `test/store/contract.ts`
 * holds them both to the same behaviour.
 */

export type { Gender, GeoPoint, Language } from "../domain/person.js";
import type { Gender, GeoPoint, Language } from "../domain/person.js";

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
  firstName: string | null;
  lastName: string | null;
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

/** Raised when a unique field (e.g. national ID) already belongs to someone else. */
export class DuplicateError extends Error {
  override readonly name = "DuplicateError";
  constructor(readonly field: "nationalId" | "identity" | "volunteerCode" | "slug") {
    super(`duplicate ${field}`);
  }
}

/** Raised when a record the caller named does not exist. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

/** Where a page of people ends: the next page starts after it. */
export interface PageKey {
  registeredAt: Date;
  id: string;
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
   * Registered, not erased people in the provinces (all when none), by
   * registration time then id, a page at a time: keyset paging, the page
   * after `after` (the last person of the previous page; null for the first).
   */
  listRegistered(filter: { provinces?: string[] }, after: PageKey | null, limit: number): Promise<Person[]>;
}

export type BroadcastStatus = "running" | "paused" | "cancelled" | "done";
export type DeliveryStatus = "pending" | "sent" | "failed" | "unreachable" | "cancelled";

/** What a broadcast may carry besides its text. */
export interface BroadcastExtras {
  /** A photo uploaded on one platform: its file id is only valid for that platform's bot. */
  photo: { platform: Platform; fileId: string } | null;
  /** A link button under the message. */
  link: { text: string; url: string } | null;
  /** An «I'm in» button whose taps are counted. */
  imIn: boolean;
  /** Rows of callback buttons (a match notice's answers), already in the recipient's language. */
  buttons: { text: string; data: string }[][] | null;
}

export interface Broadcast extends BroadcastExtras {
  id: string;
  text: string;
  /**
   * A one-to-one push that may carry personal data (an introduction's
   * contact details): its text is sealed with the PII key at rest, and it is
   * purged once settled and past the retention period.
   */
  personal: boolean;
  /** The people a personal broadcast carries data of (an introduction's volunteer): erasing one deletes it. */
  about: string[];
  segment: Segment;
  /** Urgent broadcasts may be sent in quiet hours. */
  urgent: boolean;
  createdBy: string | null;
  /** Nothing is sent before this instant. */
  notBefore: Date;
  status: BroadcastStatus;
  total: number;
  createdAt: Date;
}

/** One message to one person on one platform: a durable outbox record. */
export interface Delivery extends BroadcastExtras {
  id: string;
  broadcastId: string;
  personId: string;
  platform: Platform;
  chatId: string;
  text: string;
  urgent: boolean;
  /** A one-to-one push (a match notice, an introduction): the send budget's urgent lane. */
  personal: boolean;
  attempts: number;
}

/** What creating a broadcast takes: extras are optional, and it may start paused. */
export type NewBroadcastRecord = Omit<
  Broadcast,
  "id" | "status" | "total" | "createdAt" | "personal" | "about" | keyof BroadcastExtras
> &
  Partial<BroadcastExtras> & { paused?: boolean; personal?: boolean; about?: string[] };

export type DeliveryProgress = Record<DeliveryStatus, number>;

export interface DeliveryRepository {
  /** Creates a running broadcast, or a paused one (`paused`) to be started later. */
  createBroadcast(input: NewBroadcastRecord): Promise<Broadcast>;
  /**
   * Records one person's «I'm in» on a broadcast, once: `recorded`, `already`
   * (answered before), or `not_sent` (the broadcast never went to them: a
   * forged or forwarded button counts nothing).
   */
  respond(broadcastId: string, personId: string): Promise<"recorded" | "already" | "not_sent">;
  responses(broadcastId: string): Promise<number>;
  getBroadcast(id: string): Promise<Broadcast | null>;
  setBroadcastStatus(id: string, status: BroadcastStatus): Promise<void>;
  /** Adds recipients; a recipient already queued for the broadcast is not added twice. Returns how many were added. */
  enqueue(broadcastId: string, recipients: Recipient[]): Promise<number>;
  /**
   * Atomically leases up to `limit` due deliveries of running broadcasts to
   * `owner` until `now + leaseMs`. A lease that runs out (a crashed worker)
   * makes the delivery claimable again; two workers never hold one at once.
   */
  claim(
    owner: string,
    limit: number,
    now: Date,
    leaseMs: number,
    options: { urgentOnly: boolean },
  ): Promise<Delivery[]>;
  /** Settles a claimed delivery. Only the lease owner's call has effect. */
  settle(id: string, owner: string, status: Exclude<DeliveryStatus, "pending">, error?: string): Promise<void>;
  /** Marks many claimed deliveries sent in one write (the engine's common case). */
  settleSent(ids: string[], owner: string): Promise<void>;
  /** Gives a claimed delivery back for a later attempt. */
  retryLater(id: string, owner: string, at: Date, error: string, countAttempt: boolean): Promise<void>;
  progress(broadcastId: string): Promise<DeliveryProgress>;
  /** Deliveries still pending across all broadcasts (the outbox depth). */
  pendingCount(): Promise<number>;
  /**
   * Deletes personal (one-to-one) broadcasts created before `before` with
   * nothing left pending, and their deliveries and answers. Returns how many.
   */
  purgePersonal(before: Date): Promise<number>;
}

export type CampaignTemplate = "ramadan" | "monthly";

/** A campaign: its slug is also its deep link (`/start <slug>`). */
export interface Campaign {
  slug: string;
  template: CampaignTemplate;
  title: string;
  /** Ramadan: the Hijri year. */
  hijriYear: number | null;
  /** Ramadan: days to move Umm al-Qura's start for Iran (−2…+2). */
  adjustDays: number;
  /** Monthly: the Jalali day of the month it runs on. */
  monthDay: number | null;
  /** Local hour (TZ_NAME) of the daily or monthly message. */
  hour: number;
  segment: Segment;
  status: "active" | "ended";
  createdBy: string | null;
  createdAt: Date;
}

export interface CampaignRepository {
  create(c: Omit<Campaign, "status" | "createdAt">): Promise<Campaign>;
  get(slug: string): Promise<Campaign | null>;
  listActive(): Promise<Campaign[]>;
  setStatus(slug: string, status: Campaign["status"]): Promise<void>;
  /**
   * Records that the message for one occurrence (`ramadan:7`, `1405-09`…)
   * went out as this broadcast. False when another worker recorded it first.
   */
  recordRun(slug: string, occurrence: string, broadcastId: string): Promise<boolean>;
  runs(slug: string): Promise<{ occurrence: string; broadcastId: string }[]>;
  /** A volunteer's vow of service (nazr-e khedmat), in hours; a new vow replaces the old. */
  pledge(slug: string, personId: string, hours: number): Promise<void>;
  pledgeOf(slug: string, personId: string): Promise<number | null>;
  pledgeSummary(slug: string): Promise<{ people: number; hours: number }>;
}

export interface Store {
  readonly kind: "sqlite" | "mongo";
  readonly people: PeopleRepository;
  readonly deliveries: DeliveryRepository;
  readonly campaigns: CampaignRepository;
  readonly centres: CentreRepository;
  readonly needs: NeedRepository;
  readonly ledger: LedgerRepository;
  readonly access: AccessRepository;
  readonly reports: ReportRepository;
  /** Person records written through `people` by this process so far (see `people-writes.ts`). */
  peopleWrites(): number;
  /** Resolves when the database answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
