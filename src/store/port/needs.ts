import type { CandidateQuery, NeedReach, ScoreReason, ScoredCandidate } from "../../domain/matching.js";
import type { NeedStatus, OfferAnswer, OfferStatus } from "../../domain/needs.js";
import type { Slot } from "../../domain/taxonomy.js";

/** Needs, offers and matching, and reported hours. */

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
  /**
   * Changes an open, partly filled or filled centre need: how many are wanted
   * (never fewer than filled), its end date, its notes; its status follows the
   * count (filled, partly filled or open). Null when the need is not in one of
   * those states (closed, expired, a request) or the count is below filled.
   */
  edit(id: string, patch: { wanted: number; endDate: string; notes: string | null }): Promise<Need | null>;
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
  /**
   * The volunteer gives up an approved place (they cancelled a session):
   * the offer becomes `cancelled` and the need's place is free again, in one
   * step. Null if the offer was not approved (cancelled already).
   */
  release(offerId: string): Promise<{ offer: Offer; need: Need } | null>;
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
