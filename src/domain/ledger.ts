/**
 * The time bank's ledger: double entry, in whole minutes. Every entry moves
 * minutes from one account to another, so the postings of an entry — and of
 * the whole ledger — always sum to zero. Entries are never edited: a
 * correction is a new entry that reverses (part of) an old one.
 */

/** A volunteer's account, a centre's, or a citizen's who received help. */
export type Account = `person:${string}` | `centre:${string}`;

export const personAccount = (id: string): Account => `person:${id}`;
export const centreAccount = (code: string): Account => `centre:${code}`;

export interface Posting {
  account: Account;
  /** Positive: credited (hours given); negative: debited (hours received). */
  minutes: number;
  /** Which side of a service the account is on; a correction keeps the sides of what it corrects. */
  side: "giver" | "receiver";
}

/** Whole minutes in an hour count the ledger accepts for one service. */
export const MAX_MINUTES_PER_SERVICE = 12 * 60;

/**
 * The two postings of a service: the giver is credited, the receiver debited.
 * `services` is how many sessions the entry credits at once (an approval of
 * attendance): each may be up to a service's maximum.
 */
export function servicePostings(giver: Account, receiver: Account, minutes: number, services = 1): Posting[] {
  if (!Number.isInteger(minutes) || minutes <= 0 || minutes > MAX_MINUTES_PER_SERVICE * services)
    throw new RangeError(`minutes out of range: ${minutes}`);
  if (giver === receiver) throw new RangeError("an account cannot pay itself");
  return [
    { account: giver, minutes, side: "giver" },
    { account: receiver, minutes: -minutes, side: "receiver" },
  ];
}

/** A reversal: the same postings with opposite signs. */
export const reversePostings = (postings: readonly Posting[]): Posting[] =>
  postings.map((p) => ({ ...p, minutes: -p.minutes }));

export function isBalanced(postings: readonly Posting[]): boolean {
  return postings.length >= 2 && postings.reduce((s, p) => s + p.minutes, 0) === 0;
}

/** The key that makes confirming one service twice credit it once. */
export const serviceKey = (offerId: string, serviceDate: string) => `service:${offerId}:${serviceDate}`;

/** Hours as people read them: 90 minutes is 1.5. */
export const hoursOf = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
