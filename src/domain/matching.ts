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
export function scoringKm(need: { lat: number; lon: number }, p: { lat: number; lon: number }): number {
  const dx = (p.lon - need.lon) * lonKm(need.lat);
  const dy = (p.lat - need.lat) * KM_PER_DEGREE;
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

/** Scores one candidate; every point has a reason. */
export function scoreCandidate(row: CandidateRow, q: CandidateQuery, now: number): ScoredCandidate {
  const reasons: ScoreReason[] = [];
  const add = (key: string, points: number, params?: Record<string, number>) => {
    if (points !== 0) reasons.push(params ? { key, points, params } : { key, points });
  };
  if (q.role && row.hasRole) add("role", WEIGHTS.role);
  const skills = Math.min(row.skillsMatched, WEIGHTS.maxSkills);
  if (skills > 0) add("skills", skills * WEIGHTS.perSkill, { count: row.skillsMatched });
  const shared = bitCount(row.slotMask & q.slotMask);
  add("slots", Math.min(shared, WEIGHTS.maxSharedSlots) * WEIGHTS.perSharedSlot, { count: shared });
  if (q.location && row.lat !== null && row.lon !== null) {
    const km = scoringKm(q.location, { lat: row.lat, lon: row.lon });
    // floor(km + 0.5): the same rounding the SQL ranking does.
    add("distance", -Math.min(Math.floor(km + 0.5), WEIGHTS.maxDistancePenalty), { km: Math.round(km * 10) / 10 });
  } else if (row.county !== q.county) add("other_county", WEIGHTS.otherCounty);
  else if (q.neighbourhood && row.neighbourhood && sameNeighbourhood(row.neighbourhood, q.neighbourhood))
    add("same_neighbourhood", WEIGHTS.sameNeighbourhood);
  if (row.lastOfferMs !== null) {
    const ago = now - row.lastOfferMs;
    const days = Math.floor(ago / DAY);
    if (ago < 3 * DAY) add("asked_very_recently", WEIGHTS.askedVeryRecently, { days });
    else if (ago < 14 * DAY) add("asked_recently", WEIGHTS.askedRecently, { days });
    if (ago < RECENT_OFFERS_WINDOW_MS && row.recentOffers > 0)
      add("spread", Math.max(row.recentOffers * WEIGHTS.perRecentOffer, WEIGHTS.maxSpreadPenalty), {
        count: row.recentOffers,
      });
  }
  if (row.declineStreak > 0)
    add("declines", Math.max(row.declineStreak * WEIGHTS.perDecline, WEIGHTS.maxDeclinePenalty), {
      count: row.declineStreak,
    });
  const score = reasons.reduce((s: number, r) => s + r.points, WEIGHTS.base);
  return { row, score, reasons };
}

/** A neighbourhood name as compared: case, spacing and ZWNJ variations do not matter. */
export const neighbourhoodKey = (s: string) =>
  s
    .replace(/[\s\u200c]+/g, " ")
    .trim()
    .toLowerCase();
const sameNeighbourhood = (a: string, b: string) => neighbourhoodKey(a) === neighbourhoodKey(b);

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
  const best: ScoredCandidate[] = [];
  for (const row of rows) {
    if (!isEligible(row, q)) continue;
    const c = scoreCandidate(row, q, now);
    if (best.length === limit && compare(c, best[best.length - 1]!) >= 0) continue;
    let i = best.length;
    while (i > 0 && compare(c, best[i - 1]!) < 0) i--;
    best.splice(i, 0, c);
    if (best.length > limit) best.pop();
  }
  return best;
}

function compare(a: ScoredCandidate, b: ScoredCandidate): number {
  if (a.score !== b.score) return b.score - a.score;
  const la = a.row.lastOfferMs ?? 0;
  const lb = b.row.lastOfferMs ?? 0;
  if (la !== lb) return la - lb;
  return a.row.personId < b.row.personId ? -1 : a.row.personId > b.row.personId ? 1 : 0;
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
