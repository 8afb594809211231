/**
 * Needs and their life cycle. A need is posted by a centre (or, for the time
 * bank, requested by a citizen and approved by a centre) and asks for a
 * number of people in weekly slots between two dates.
 *
 *   review ──approve──▶ open ──some accepted──▶ partly_filled ──all──▶ filled
 *     │                  │  ▲                      │                      │
 *     └──reject──▶ rejected  └──── one withdrawn ──┘                      │
 *   open / partly_filled ──end date passed──▶ expired;  any ──owner──▶ closed
 */
export const NEED_STATUSES = ["review", "rejected", "open", "partly_filled", "filled", "closed", "expired"] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/** Needs that still look for people. */
export const ACTIVE_NEED_STATUSES: readonly NeedStatus[] = ["open", "partly_filled"];

export const isActiveNeed = (s: NeedStatus) => ACTIVE_NEED_STATUSES.includes(s);

/** The status of an active need after its number of filled places changed. */
export function statusForFill(wanted: number, filled: number): NeedStatus {
  if (filled >= wanted) return "filled";
  return filled > 0 ? "partly_filled" : "open";
}

/**
 * An offer to one volunteer for one need:
 *
 *   pending ──accept──▶ accepted ──institution approves──▶ approved ──▶ (hours credited per service)
 *      │                   └──institution rejects──▶ rejected
 *      ├──decline──▶ declined      ├──not now──▶ deferred
 *      └──expires──▶ expired       └──need filled/closed──▶ withdrawn
 *   approved ──the volunteer cancels a session («نمی‌توانم بیایم»)──▶ cancelled (the place is free again)
 */
export const OFFER_STATUSES = [
  "pending",
  "accepted",
  "approved",
  "rejected",
  "declined",
  "deferred",
  "expired",
  "withdrawn",
  "cancelled",
] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** Offers that hold (or may soon hold) one of the need's places. */
export const FILLING_OFFER_STATUSES: readonly OfferStatus[] = ["accepted", "approved"];

/** The volunteer's three answers to a notice. */
export type OfferAnswer = "accept" | "decline" | "later";

export const answerStatus: Record<OfferAnswer, OfferStatus> = {
  accept: "accepted",
  decline: "declined",
  later: "deferred",
};

/** Reasons an institution may give when it does not approve an introduction. */
export const REJECT_REASONS = ["not_suitable", "documents", "capacity", "other"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** How many people a need may ask for, and how long an offer waits for an answer. */
export const MAX_WANTED = 50;
export const OFFER_TTL_MS = 24 * 3_600_000;

/** A need's status once its places were recounted: only active (or filled) needs move. */
export function refilledStatus(current: NeedStatus, wanted: number, filled: number): NeedStatus {
  return isActiveNeed(current) || current === "filled" ? statusForFill(wanted, filled) : current;
}
