import { DAY_PARTS, WEEKDAYS, isSlot, type Slot } from "./taxonomy.js";

/**
 * Matching: who is asked to fill a need, in what order, and why. One scoring
 * function, used by every store adapter, so that the order a coordinator sees
 * and the reasons a volunteer reads are the same thing.
 */

/** Each weekly slot is one bit: `sat.morning` is bit 0, `fri.evening` bit 20. */
export function slotMask(slots: readonly string[]): number {
  let mask = 0;
  for (const s of slots) {
    if (!isSlot(s)) continue;
    const [day, part] = s.split(".") as [string, string];
    mask |= 1 << (WEEKDAYS.indexOf(day as never) * DAY_PARTS.length + DAY_PARTS.indexOf(part as never));
  }
  return mask;
}

export function slotsOfMask(mask: number): Slot[] {
  const slots: Slot[] = [];
  WEEKDAYS.forEach((day, d) =>
    DAY_PARTS.forEach((part, p) => {
      if (mask & (1 << (d * DAY_PARTS.length + p))) slots.push(`${day}.${part}`);
    }),
  );
  return slots;
}

export function bitCount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v &= v - 1) c++;
  return c;
}

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const KM_PER_DEGREE = 111.195;

/**
 * The distance scoring uses: the equirectangular approximation around the
 * need's latitude. Within a province it differs from the great circle by
 * well under one per cent, and it is plain arithmetic, so the SQL ranking
 * can compute exactly the same number cheaply.
 */
export function scoringKm(need: { lat: number; lon: number }, lat: number, lon: number): number {
  const dx = (lon - need.lon) * lonKm(need.lat);
  const dy = (lat - need.lat) * KM_PER_DEGREE;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Kilometres per degree of longitude at a latitude. */
export const lonKm = (lat: number) => Math.cos(lat * (Math.PI / 180)) * KM_PER_DEGREE;

/** How far a need looks for people: its county only, or its whole province. */
export type NeedReach = "county" | "province";

/** Where a need is and whom it wants: what a candidate search takes. */
export interface CandidateQuery {
  province: string;
  county: string;
  neighbourhood: string | null;
  location: { lat: number; lon: number } | null;
  reach: NeedReach;
  /** Candidates need this role, or — when null — at least one of `skills`. */
  role: string | null;
  skills: string[];
  /** Bit mask of the need's weekly slots; a candidate must share at least one. */
  slotMask: number;
  /** People already asked for this need (or otherwise excluded). */
  exclude: ReadonlySet<string>;
}

/** What the store knows about a possible candidate: enough to score without loading the person. */
export interface CandidateRow {
  personId: string;
  county: string;
  /** The neighbourhood's `neighbourhoodKey`. */
  neighbourhood: string | null;
  lat: number | null;
  lon: number | null;
  slotMask: number;
  /** Of the need's skills, how many the person has (0 when the need asks for a role). */
  skillsMatched: number;
  hasRole: boolean;
  /** Fairness: when the person was last asked (ms), how often lately, and declines in a row. */
  lastOfferMs: number | null;
  recentOffers: number;
  declineStreak: number;
}

/** One part of a score, shown to coordinators and (the positive ones) to volunteers. */
export interface ScoreReason {
  /** A locale key under `match.reason.*`. */
  key: string;
  points: number;
  params?: Record<string, number>;
}

export interface ScoredCandidate {
  row: CandidateRow;
  score: number;
  reasons: ScoreReason[];
}

/** The weights, in one place. Changing one changes every adapter's order. */
export const WEIGHTS = {
  base: 100,
  role: 20,
  perSkill: 8,
  maxSkills: 3,
  perSharedSlot: 3,
  maxSharedSlots: 5,
  sameNeighbourhood: 15,
  sameCounty: 0,
  otherCounty: -20,
  /** With both locations: minus one point per km, at most this many. */
  maxDistancePenalty: 40,
  /** Asked in the last 3 days / 14 days. */
  askedVeryRecently: -25,
  askedRecently: -10,
  /** Per offer in the last 30 days, at most `maxSpreadPenalty`. */
  perRecentOffer: -3,
  maxSpreadPenalty: -15,
  perDecline: -6,
  maxDeclinePenalty: -30,
} as const;

const DAY = 86_400_000;
/** Offers older than this no longer count as "recent" for spreading. */
export const RECENT_OFFERS_WINDOW_MS = 30 * DAY;

/** Receives each part of a score; `param` names the one number its reason shows. */
type Sink = (key: string, points: number, param?: string, value?: number) => void;

const queryHoods = new WeakMap<CandidateQuery, string | null>();
const hoodOf = (q: CandidateQuery) => {
  let key = queryHoods.get(q);
  if (key === undefined) queryHoods.set(q, (key = q.neighbourhood ? neighbourhoodKey(q.neighbourhood) : null));
  return key;
};

/**
 * The score itself, part by part: the single definition both functions below
 * use. Written to run over many rows without allocating: each part is a
 * number, reported to the sink only when one is given.
 */
function scoreParts(row: CandidateRow, q: CandidateQuery, now: number, sink: Sink | null): number {
  const role = q.role && row.hasRole ? WEIGHTS.role : 0;
  const skills = Math.min(row.skillsMatched, WEIGHTS.maxSkills) * WEIGHTS.perSkill;
  const shared = bitCount(row.slotMask & q.slotMask);
  const slots = Math.min(shared, WEIGHTS.maxSharedSlots) * WEIGHTS.perSharedSlot;
  let km = -1;
  let place = 0;
  if (q.location && row.lat !== null && row.lon !== null) {
    km = scoringKm(q.location, row.lat, row.lon);
    place = -Math.min(Math.floor(km + 0.5), WEIGHTS.maxDistancePenalty);
  } else if (row.county !== q.county) place = WEIGHTS.otherCounty;
  else if (row.neighbourhood !== null && row.neighbourhood === hoodOf(q)) place = WEIGHTS.sameNeighbourhood;
  let recency = 0;
  let spread = 0;
  const ago = row.lastOfferMs === null ? Infinity : now - row.lastOfferMs;
  if (ago < 3 * DAY) recency = WEIGHTS.askedVeryRecently;
  else if (ago < 14 * DAY) recency = WEIGHTS.askedRecently;
  if (ago < RECENT_OFFERS_WINDOW_MS && row.recentOffers > 0)
    spread = Math.max(row.recentOffers * WEIGHTS.perRecentOffer, WEIGHTS.maxSpreadPenalty);
  const declines =
    row.declineStreak > 0 ? Math.max(row.declineStreak * WEIGHTS.perDecline, WEIGHTS.maxDeclinePenalty) : 0;
  if (sink) {
    if (role) sink("role", role);
    if (skills) sink("skills", skills, "count", row.skillsMatched);
    if (slots) sink("slots", slots, "count", shared);
    if (place && km >= 0) sink("distance", place, "km", Math.round(km * 10) / 10);
    else if (place) sink(place < 0 ? "other_county" : "same_neighbourhood", place);
    const days = Math.floor(ago / DAY);
    if (recency)
      sink(recency === WEIGHTS.askedVeryRecently ? "asked_very_recently" : "asked_recently", recency, "days", days);
    if (spread) sink("spread", spread, "count", row.recentOffers);
    if (declines) sink("declines", declines, "count", row.declineStreak);
  }
  return WEIGHTS.base + role + skills + slots + place + recency + spread + declines;
}

/** Scores one candidate; every point has a reason. */
export function scoreCandidate(row: CandidateRow, q: CandidateQuery, now: number): ScoredCandidate {
  const reasons: ScoreReason[] = [];
  const score = scoreParts(row, q, now, (key, points, param, value) =>
    reasons.push(param ? { key, points, params: { [param]: value! } } : { key, points }),
  );
  return { row, score, reasons };
}

/** The same score without its reasons and without allocating: for scanning many rows. */
export const scoreValue = (row: CandidateRow, q: CandidateQuery, now: number): number => scoreParts(row, q, now, null);

/** A neighbourhood name as compared: case, spacing and ZWNJ variations do not matter. */
export const neighbourhoodKey = (s: string) =>
  s
    .replace(/[\s\u200c]+/g, " ")
    .trim()
    .toLowerCase();

/** Does a stored row satisfy the query's hard rules (what the index may only narrow)? */
export function isEligible(row: CandidateRow, q: CandidateQuery): boolean {
  if (q.exclude.has(row.personId)) return false;
  if ((row.slotMask & q.slotMask) === 0) return false;
  if (q.reach === "county" && row.county !== q.county) return false;
  return q.role ? row.hasRole : row.skillsMatched > 0;
}

/**
 * Keeps the best `limit` of a stream of rows: a bounded selection, so a
 * province-wide search never sorts every candidate. Ties go to the person
 * asked longest ago, then to the id, so the order is stable.
 */
export function topCandidates(
  rows: Iterable<CandidateRow>,
  q: CandidateQuery,
  limit: number,
  now: number,
): ScoredCandidate[] {
  const top = new TopCandidates(q, limit, now);
  for (const row of rows) top.offer(row);
  return top.result();
}

/** The bounded selection behind `topCandidates`, fed one row at a time (rows may be reused by the caller). */
export class TopCandidates {
  readonly #best: ScoredCandidate[] = [];
  constructor(
    private readonly q: CandidateQuery,
    private readonly limit: number,
    private readonly now: number,
  ) {}

  offer(row: CandidateRow): void {
    const best = this.#best;
    if (this.limit <= 0 || !isEligible(row, this.q)) return;
    const score = scoreValue(row, this.q, this.now);
    if (best.length === this.limit && compare(score, row, best[best.length - 1]!) >= 0) return;
    const c = scoreCandidate({ ...row }, this.q, this.now);
    let i = best.length;
    while (i > 0 && compare(score, row, best[i - 1]!) < 0) i--;
    best.splice(i, 0, c);
    if (best.length > this.limit) best.pop();
  }

  result(): ScoredCandidate[] {
    return [...this.#best];
  }
}

function compare(score: number, row: CandidateRow, b: ScoredCandidate): number {
  if (score !== b.score) return b.score - score;
  const la = row.lastOfferMs ?? 0;
  const lb = b.row.lastOfferMs ?? 0;
  if (la !== lb) return la - lb;
  return row.personId < b.row.personId ? -1 : row.personId > b.row.personId ? 1 : 0;
}

/** Fairness counters after one more offer to a person. */
export function afterOffer(
  stats: Pick<CandidateRow, "lastOfferMs" | "recentOffers">,
  now: number,
): { lastOfferMs: number; recentOffers: number } {
  const stale = stats.lastOfferMs === null || now - stats.lastOfferMs >= RECENT_OFFERS_WINDOW_MS;
  return { lastOfferMs: now, recentOffers: stale ? 1 : stats.recentOffers + 1 };
}

/**
 * How many people the next wave asks: enough to fill what is still open,
 * given the offers still awaiting an answer, with a margin for declines.
 */
export function waveSize(o: {
  wanted: number;
  filled: number;
  awaiting: number;
  factor?: number;
  max?: number;
}): number {
  const open = Math.max(0, o.wanted - o.filled);
  if (open === 0) return 0;
  const target = open * (o.factor ?? 3);
  return Math.max(0, Math.min(o.max ?? 20, target - o.awaiting));
}
