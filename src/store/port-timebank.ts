import type { Account, Posting } from "../domain/ledger.js";
import type { CandidateQuery, NeedReach, ScoreReason, ScoredCandidate } from "../domain/matching.js";
import type { NeedStatus, OfferAnswer, OfferStatus } from "../domain/needs.js";
import type { CentreKind, Slot } from "../domain/taxonomy.js";
import type { GeoPoint } from "../domain/person.js";
import type { IdentityRef } from "./port.js";

/**
 * The store port, second half: reference data (centres and intermediary
 * institutions), needs, offers and matching, the time-bank ledger, and who
 * may do what (role grants and the audit log).
 */

/** An intermediary institution (mo'assese-ye miani): every introduction goes through one. */
export interface Institution {
  code: string;
  name: string;
  province: string;
  phone: string | null;
}

/** A welfare centre: a place where volunteers serve. Its code is also its deep link. */
export interface Centre {
  code: string;
  kind: CentreKind;
  name: string;
  province: string;
  county: string;
  neighbourhood: string | null;
  address: string;
  phone: string | null;
  location: GeoPoint | null;
  /** The institution that introduces volunteers to it. */
  institutionCode: string | null;
}

export interface ImportResult {
  inserted: number;
  updated: number;
}

/** Local actions a centre reports (Ramadan indicators): an iftar gathering, a class, counselling, a screening. */
export const CENTRE_ACTION_KINDS = ["iftar", "class", "counselling", "screening", "other"] as const;
export type CentreActionKind = (typeof CENTRE_ACTION_KINDS)[number];

export interface CentreAction {
  id: string;
  centreCode: string;
  kind: CentreActionKind;
  /** `YYYY-MM-DD`, local. */
  date: string;
  participants: number;
  reportedBy: string;
  createdAt: Date;
}

export interface CentreRepository {
  reportAction(action: Omit<CentreAction, "id" | "createdAt">): Promise<CentreAction>;
  /** Actions of these centres dated within [from, to] (`YYYY-MM-DD`, inclusive). */
  actions(filter: { centreCodes: string[]; from: string; to: string }): Promise<CentreAction[]>;
  /** Inserts or updates every row in one transaction: all of them or none. */
  upsertInstitutions(rows: Institution[]): Promise<ImportResult>;
  upsertCentres(rows: Centre[]): Promise<ImportResult>;
  getInstitution(code: string): Promise<Institution | null>;
  getCentre(code: string): Promise<Centre | null>;
  listInstitutions(filter?: { province?: string }): Promise<Institution[]>;
  listCentres(filter?: { province?: string; county?: string; codes?: string[] }): Promise<Centre[]>;
}

/** A centre's need for people, or a citizen's time-bank request (kind `request`). */
export interface Need {
  id: string;
  kind: "centre" | "request";
  centreCode: string;
  /** The citizen who asked for help (requests only). */
  requesterId: string | null;
  createdBy: string;
  role: string | null;
  skills: string[];
  wanted: number;
  /** Places taken: offers accepted or approved. */
  filled: number;
  /** Jalali-independent ISO dates, `YYYY-MM-DD`, inclusive. */
  startDate: string;
  endDate: string;
  slots: Slot[];
  reach: NeedReach;
  notes: string | null;
  status: NeedStatus;
  /** How many waves of offers went out. */
  waves: number;
  reviewedBy: string | null;
  rejectReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewNeed = Omit<Need, "id" | "filled" | "waves" | "reviewedBy" | "rejectReason" | "createdAt" | "updatedAt">;

export interface Offer {
  id: string;
  needId: string;
  personId: string;
  status: OfferStatus;
  wave: number;
  score: number;
  reasons: ScoreReason[];
  /** The volunteer's institution, fixed when they accept. */
  institutionCode: string | null;
  /** Who decided (an institution operator), and why a rejection. */
  decidedBy: string | null;
  rejectReason: string | null;
  createdAt: Date;
  expiresAt: Date;
  answeredAt: Date | null;
}

/** What answering an offer did. */
export type AnswerOutcome =
  | { type: "answered"; offer: Offer; need: Need }
  /** The offer is no longer open (already answered, expired, withdrawn). */
  | { type: "closed"; offer: Offer }
  /** Every place was taken before this acceptance. */
  | { type: "full"; offer: Offer; need: Need };

export interface NeedRepository {
  create(need: NewNeed): Promise<Need>;
  get(id: string): Promise<Need | null>;
  list(filter: {
    centreCodes?: string[];
    statuses?: NeedStatus[];
    requesterId?: string;
    kind?: Need["kind"];
  }): Promise<Need[]>;
  /** Moves a need to `to` only from one of `from`; false if it was elsewhere (someone else acted first). */
  transition(id: string, from: readonly NeedStatus[], to: NeedStatus, by?: string, reason?: string): Promise<boolean>;
  /** Active needs whose end date is before `today` (`YYYY-MM-DD`) become `expired`; returns them. */
  expireEnded(today: string): Promise<Need[]>;
  /**
   * The best `limit` candidates for a need, scored by `scoreCandidate`:
   * registered, not erased, match notices on, at least one reachable account.
   */
  candidates(query: CandidateQuery, limit: number, now: Date): Promise<ScoredCandidate[]>;
  /**
   * Records a wave of offers (one per candidate; a person already asked for
   * this need is skipped), bumps the need's wave count and each person's
   * fairness counters. Returns the offers created.
   */
  createOffers(needId: string, candidates: ScoredCandidate[], now: Date, expiresAt: Date): Promise<Offer[]>;
  getOffer(id: string): Promise<Offer | null>;
  offers(needId: string): Promise<Offer[]>;
  /** People asked for this need at any time (never asked twice). */
  askedFor(needId: string): Promise<Set<string>>;
  /**
   * A volunteer's answer, atomic with the need's places: an acceptance takes
   * a place only if one is free. Pending and deferred offers can be answered
   * until they expire. `institutionCode` is recorded on acceptance.
   */
  answer(
    offerId: string,
    personId: string,
    answer: OfferAnswer,
    now: Date,
    institutionCode: string | null,
  ): Promise<AnswerOutcome>;
  /** An institution's decision on an accepted offer; a rejection frees the place. `null` if not awaiting one. */
  decide(
    offerId: string,
    approve: boolean,
    by: string,
    reason: string | null,
  ): Promise<{ offer: Offer; need: Need } | null>;
  /** Accepted offers awaiting an institution's decision. */
  awaitingDecision(institutionCodes: string[]): Promise<Offer[]>;
  /** Pending and deferred offers past their time become `expired`; returns them. */
  expireOffers(now: Date): Promise<Offer[]>;
  /** Open offers of a need that no longer needs them become `withdrawn`; returns them. */
  withdrawOpen(needId: string): Promise<Offer[]>;
  /** Offers a person accepted and an institution approved (their services). */
  approvedOf(personId: string): Promise<Offer[]>;
  /** Stores a volunteer's report for an offer and day; an earlier pending report of that day is superseded. */
  reportHours(report: Pick<HourReport, "offerId" | "minutes" | "date">): Promise<HourReport>;
  getHourReport(id: string): Promise<HourReport | null>;
  /** Marks a pending report confirmed; false when it was not pending (confirmed already, or superseded). */
  confirmHourReport(id: string): Promise<boolean>;
}

export interface LedgerEntry {
  id: string;
  /** Idempotency key: posting the same key twice records one entry. */
  key: string;
  kind: "service" | "correction";
  offerId: string | null;
  /** For a correction: the entry it reverses. */
  reverses: string | null;
  memo: string | null;
  postings: Posting[];
  by: string;
  at: Date;
}

export interface LedgerRepository {
  /** Records a balanced entry; with a key already used, returns the first entry and `created: false`. */
  post(entry: Omit<LedgerEntry, "id" | "at">, at?: Date): Promise<{ entry: LedgerEntry; created: boolean }>;
  get(id: string): Promise<LedgerEntry | null>;
  /** Minutes: credits minus debits (of entries recorded in [from, to), when given). */
  balance(account: Account, between?: { from: Date; to: Date }): Promise<number>;
  /** Minutes credited to the account (hours given), ignoring debits. */
  given(account: Account): Promise<number>;
  /** The account's entries, newest first. */
  history(account: Account, limit: number): Promise<LedgerEntry[]>;
  /** Sum of every posting in the ledger: zero, always. */
  total(): Promise<number>;
}

export const COORDINATOR_ROLES = [
  "national_admin",
  "provincial_admin",
  "centre_coordinator",
  "institution_operator",
] as const;
export type CoordinatorRole = (typeof COORDINATOR_ROLES)[number];

/** A role held by one platform account, within a scope: `*`, a province id, a centre or institution code. */
export interface Grant extends IdentityRef {
  role: CoordinatorRole;
  scope: string;
  grantedBy: string;
  grantedAt: Date;
}

export interface AuditRecord {
  /** `platform:userId`, or `cli:<user>`. */
  actor: string;
  action: string;
  /** The scope the action ran in (`*`, a province, a centre…). */
  scope: string;
  /** What it acted on (a need id, an offer id…). */
  target: string | null;
  outcome: "ok" | "refused" | "failed";
  /** Anonymous details; never personal data. */
  details: Record<string, unknown> | null;
  at: Date;
  /** Refusals of the same actor and action in a row are one record: how many, and the last one's time. */
  count: number;
  lastAt: Date;
}

/** How long repeated refusals of one actor and action keep collapsing into one audit record. */
export const AUDIT_COLLAPSE_MS = 3_600_000;

/** A volunteer's report of hours for a time-bank service, kept on the server until the requester confirms it. */
export interface HourReport {
  id: string;
  offerId: string;
  minutes: number;
  /** `YYYY-MM-DD` in the deployment's time zone. */
  date: string;
  status: "pending" | "confirmed" | "superseded";
  reportedAt: Date;
}

/** A one-time invitation to take a role: its id travels in a signed deep link. */
export interface Invite {
  id: string;
  role: CoordinatorRole;
  scope: string;
  createdBy: string;
  expiresAt: Date;
  /** `platform:userId` of whoever redeemed it. */
  usedBy: string | null;
}

export type RedeemOutcome =
  | { type: "redeemed"; invite: Invite }
  | { type: "unknown" }
  | { type: "used"; invite: Invite }
  | { type: "expired"; invite: Invite };

export interface AccessRepository {
  createInvite(invite: Omit<Invite, "usedBy">): Promise<Invite>;
  /** Marks an invite used by `by`, atomically: two people opening one link, one gets it. */
  redeemInvite(id: string, by: string, now: Date): Promise<RedeemOutcome>;
  /** False when the account already held that role in that scope. */
  grant(g: Omit<Grant, "grantedAt">): Promise<boolean>;
  revoke(ref: IdentityRef, role: CoordinatorRole, scope: string): Promise<boolean>;
  grantsOf(ref: IdentityRef): Promise<Grant[]>;
  list(filter?: { role?: CoordinatorRole; scope?: string }): Promise<Grant[]>;
  /**
   * Appends a record. A refusal repeating the newest refusal of the same
   * actor and action (within {@link AUDIT_COLLAPSE_MS}) only counts up that
   * record: one actor cannot flood the log.
   */
  audit(record: Omit<AuditRecord, "at" | "count" | "lastAt">): Promise<void>;
  /** Newest first; `since` and `until` bound the time of the (last) occurrence. */
  auditLog(filter: { since?: Date; until?: Date; actor?: string; limit: number }): Promise<AuditRecord[]>;
  /** Unused, unexpired invitations. */
  openInvites(now: Date): Promise<Invite[]>;
  /** Deletes an unused invitation; false when there was none. */
  deleteInvite(id: string): Promise<boolean>;
  /** Deletes the unused invitations one account made; returns how many. */
  deleteOpenInvitesBy(createdBy: string): Promise<number>;
}

export interface Count {
  key: string;
  n: number;
}

/** Anonymous counts of registered (not erased) volunteers, for reports. */
export interface RegistrationStats {
  total: number;
  /** With at least one account the bot can still reach. */
  reachable: number;
  /** Registrations per local day (`YYYY-MM-DD` in the time zone asked), from `since`. */
  byDay: Count[];
  byProvince: Count[];
  byCounty: Count[];
  /** By registration source: a centre's code, a campaign's slug; `""` for none. */
  bySource: Count[];
  byRole: Count[];
  bySkill: Count[];
}

export interface ReportRepository {
  /**
   * Counts within the provinces (all when none are given) and, when given,
   * registered in [from, to); biggest first, ties by key.
   */
  registrations(
    filter: { provinces?: string[]; from?: Date; to?: Date },
    since: Date,
    timeZone: string,
  ): Promise<RegistrationStats>;
}
