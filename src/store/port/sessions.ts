import type { ReminderKind, SessionStatus } from "../../domain/sessions.js";
import type { DayPart } from "../../domain/taxonomy.js";

/** The day of service: the sessions an approved offer became, their attendance, and certificates of service. */

export interface ServiceSession {
  id: string;
  offerId: string;
  needId: string;
  personId: string;
  centreCode: string;
  /** `YYYY-MM-DD`, local. */
  date: string;
  part: DayPart;
  startsAt: Date;
  endsAt: Date;
  status: SessionStatus;
  /** When each reminder was sent (claimed), if it was. */
  reminded: Partial<Record<ReminderKind, Date>>;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  checkInAt: Date | null;
  checkOutAt: Date | null;
  /** `self` for the volunteer's own check-in, else the coordinator who checked them in (`platform:userId`). */
  checkInBy: string | null;
  /**
   * How far (metres) from the centre the phone said it was, when the volunteer shared a location while checked in;
   * null when none was shared or the centre has no coordinates. Never a reason to refuse: phones' locations drift.
   */
  checkInDistanceM?: number | null;
  /** Proposed from the check-in times, or set by a correction; null until known (a flagged session has none). */
  minutes: number | null;
  /** The last correction: who and why. */
  correctedBy: string | null;
  correctionReason: string | null;
  /** The ledger key of the approval that credits it (set when claimed). */
  creditKey: string | null;
  creditedBy: string | null;
  createdAt: Date;
}

export type NewSession = Pick<
  ServiceSession,
  "offerId" | "needId" | "personId" | "centreCode" | "date" | "part" | "startsAt" | "endsAt"
>;

export interface SessionFilter {
  personId?: string;
  centreCodes?: string[];
  offerId?: string;
  statuses?: readonly SessionStatus[];
  /** Sessions starting at or after this instant. */
  startsFrom?: Date;
  /** Sessions starting before this instant. */
  startsBefore?: Date;
  /** Sessions ending before this instant. */
  endsBefore?: Date;
  creditKey?: string;
  /** Sessions this reminder has not been sent for (a tick's batch then drains: the sent ones drop out). */
  notReminded?: ReminderKind;
}

/** What a guarded move sets besides the status. */
export type SessionPatch = Partial<
  Pick<
    ServiceSession,
    | "confirmedAt"
    | "cancelledAt"
    | "checkInAt"
    | "checkOutAt"
    | "checkInBy"
    | "checkInDistanceM"
    | "minutes"
    | "correctedBy"
    | "correctionReason"
    | "creditKey"
    | "creditedBy"
  >
>;

export interface SessionRepository {
  /** The centres with a session starting in [from, to): each once (the digest's round, however many sessions). */
  centresWithSessions(from: Date, to: Date): Promise<string[]>;
  /** Records sessions; one already made for the same offer, date and part is skipped. Returns those created. */
  create(sessions: NewSession[]): Promise<ServiceSession[]>;
  get(id: string): Promise<ServiceSession | null>;
  /** Sessions matching every given filter, by start time (then id), at most `limit`. */
  list(filter: SessionFilter, limit: number): Promise<ServiceSession[]>;
  /**
   * Moves a session to `to` (with `patch`) only from one of `from`: null when
   * it was elsewhere (someone else acted first, or it no longer applies).
   */
  move(
    id: string,
    from: readonly SessionStatus[],
    to: SessionStatus,
    patch?: SessionPatch,
  ): Promise<ServiceSession | null>;
  /** Sets fields of a session only while it is in one of `in` (a correction); null otherwise. */
  patch(id: string, within: readonly SessionStatus[], patch: SessionPatch): Promise<ServiceSession | null>;
  /** Claims one reminder of a session (once, while it is in one of `within`): true for the claimant only. */
  claimReminder(id: string, kind: ReminderKind, at: Date, within: readonly SessionStatus[]): Promise<boolean>;
  /** Moves every session of an offer starting at or after `from` in one of `within` to `cancelled`; returns them. */
  cancelFrom(offerId: string, from: Date, within: readonly SessionStatus[], at: Date): Promise<ServiceSession[]>;
}

/** A certificate of service as issued: what it said, for its verification code. */
export interface Certificate {
  /** The verification code printed on it. */
  code: string;
  personId: string;
  /** The name printed on it. */
  name: string;
  /** Hours of service it states, in minutes. */
  minutes: number;
  issuedAt: Date;
  /** The newer certificate of the same person that replaced it (`/verify` says so), or null. */
  supersededBy: string | null;
}

export interface CertificateRepository {
  /**
   * Keeps a new certificate, and marks every earlier one of the same person
   * superseded by it, in one step: a person's hours to date are stated by
   * one valid certificate at a time.
   */
  issue(certificate: Omit<Certificate, "supersededBy">): Promise<Certificate>;
  get(code: string): Promise<Certificate | null>;
  /** A person's certificates, newest first. */
  of(personId: string): Promise<Certificate[]>;
}
