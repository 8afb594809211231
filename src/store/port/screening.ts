import type { CheckStatus } from "../../domain/screening.js";

/**
 * Safeguarding checks: a volunteer's quiz results and documents, and what
 * their institution recorded (an interview, a sign-off). A document's file is
 * the most sensitive thing Hamdel holds: sealed at rest, read only through
 * `file`, dropped after review (the record of the decision stays).
 */
export interface ScreeningCheck {
  id: string;
  personId: string;
  /** The requirement it answers (`orientation:infant_care`, `document:clearance`, `interview`, `signoff`). */
  requirement: string;
  status: CheckStatus;
  /** A quiz's score. */
  score: number | null;
  /** The institution that reviews it; null for a quiz, which the server scores. */
  institutionCode: string | null;
  /** A document's file type and size, while its file is kept (the bytes come from `file`). */
  fileMime: string | null;
  fileBytes: number | null;
  /** When the file was dropped (after review, or by erasure); null while it is kept or for a check without one. */
  fileDroppedAt: Date | null;
  expiresAt: Date | null;
  /** Who decided (`platform:userId`), and why a rejection; an interview's or sign-off's note. */
  decidedBy: string | null;
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  /** Expiry reminders sent (days before: 30, 7), so each goes once. */
  warned: number[];
}

export interface NewCheck {
  personId: string;
  requirement: string;
  status: CheckStatus;
  score?: number | null;
  institutionCode?: string | null;
  file?: { mime: string; bytes: Buffer } | null;
  expiresAt?: Date | null;
  decidedBy?: string | null;
  reason?: string | null;
  createdAt: Date;
}

export interface ScreeningRepository {
  /** Records a check. A new pending one supersedes (rejects, "superseded") an earlier pending one of the same requirement. */
  record(check: NewCheck): Promise<ScreeningCheck>;
  get(id: string): Promise<ScreeningCheck | null>;
  /** A person's checks, newest first. */
  of(personId: string): Promise<ScreeningCheck[]>;
  /** Decides a pending check; null when it was not pending (decided already, or superseded). */
  decide(
    id: string,
    decision: { approve: boolean; by: string; reason: string | null; expiresAt: Date | null; at: Date },
  ): Promise<ScreeningCheck | null>;
  /** Pending checks awaiting these institutions, oldest first (no file bytes). */
  pending(institutionCodes: readonly string[], limit: number): Promise<ScreeningCheck[]>;
  /** A document's file, unsealed; null once dropped. */
  file(id: string): Promise<{ mime: string; bytes: Buffer } | null>;
  /** Drops the files of checks decided before `before`; returns how many. */
  dropFiles(before: Date): Promise<number>;
  /** Approved checks expiring in [from, to), with the days-before warning not yet sent (claims it). */
  claimExpiryWarnings(from: Date, to: Date, days: number): Promise<ScreeningCheck[]>;
  /** People holding an approved, unexpired check of each of these requirements (the qualified, for matching). */
  holders(requirements: readonly string[], now: Date): Promise<Set<string>>;
}
