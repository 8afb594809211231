import {
  KM_PER_DEGREE,
  lonKm,
  neighbourhoodKey,
  RECENT_OFFERS_WINDOW_MS,
  WEIGHTS,
  type CandidateQuery,
} from "../../domain/matching.js";
import { DAY_PARTS, WEEKDAYS } from "../../domain/taxonomy.js";

/**
 * `scoreCandidate` as one SQL expression over a `match_index` row, so SQLite
 * ranks a province's candidates in C and hands back only the best few. The
 * domain function stays the authority: the adapter rescores what SQL returns
 * (and `test/store/score-sql.test.ts` holds the two to the same numbers).
 *
 * Built from the same WEIGHTS, with the query's constants folded in, and
 * written for speed: integer arithmetic and CASE instead of function calls
 * wherever the result is the same (this expression runs once per candidate).
 */
export function scoreSql(q: CandidateQuery, nowMs: number): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const parts: string[] = [String(WEIGHTS.base + (q.role ? WEIGHTS.role : 0))];
  const capped = (sum: string, terms: number, cap: number, weight: number) =>
    terms <= cap ? `(${sum}) * ${weight}` : `(CASE WHEN ${sum} >= ${cap} THEN ${cap} ELSE ${sum} END) * ${weight}`;
  if (q.skills.length) {
    const matched = q.skills.map((s, i) => {
      params[`skill${i}`] = `,${s},`;
      return `(instr(skills, @skill${i}) > 0)`;
    });
    parts.push(capped(matched.join(" + "), matched.length, WEIGHTS.maxSkills, WEIGHTS.perSkill));
  }
  const bits: string[] = [];
  for (let b = 0; b < WEEKDAYS.length * DAY_PARTS.length; b++)
    if (q.slotMask & (1 << b)) bits.push(`((slot_mask >> ${b}) & 1)`);
  if (bits.length) parts.push(capped(bits.join(" + "), bits.length, WEIGHTS.maxSharedSlots, WEIGHTS.perSharedSlot));
  params.county = q.county;
  const otherwise = q.neighbourhood
    ? `CASE WHEN county <> @county THEN ${WEIGHTS.otherCounty} WHEN hood_key = @hood THEN ${WEIGHTS.sameNeighbourhood} ELSE 0 END`
    : `CASE WHEN county <> @county THEN ${WEIGHTS.otherCounty} ELSE 0 END`;
  if (q.neighbourhood) params.hood = neighbourhoodKey(q.neighbourhood);
  if (q.location) {
    // scoringKm: x scaled by cos(need latitude), both in km; the penalty is min(round(km), cap).
    Object.assign(params, { lat: q.location.lat, lon: q.location.lon, kx: lonKm(q.location.lat), ky: KM_PER_DEGREE });
    const d2 = `(((lon - @lon) * @kx) * ((lon - @lon) * @kx) + ((lat - @lat) * @ky) * ((lat - @lat) * @ky))`;
    const cap = WEIGHTS.maxDistancePenalty;
    parts.push(`CASE WHEN lat IS NULL OR lon IS NULL THEN ${otherwise}
      WHEN ${d2} >= ${(cap - 0.5) ** 2} THEN ${-cap} ELSE -CAST(sqrt(${d2}) + 0.5 AS INTEGER) END`);
  } else parts.push(otherwise);
  const day = 86_400_000;
  const spreadCap = WEIGHTS.maxSpreadPenalty / WEIGHTS.perRecentOffer;
  const spread = `CASE WHEN recent_offers <= 0 THEN 0 WHEN recent_offers >= ${spreadCap} THEN ${WEIGHTS.maxSpreadPenalty}
      ELSE recent_offers * ${WEIGHTS.perRecentOffer} END`;
  params.since3 = nowMs - 3 * day;
  params.since14 = nowMs - 14 * day;
  params.since30 = nowMs - RECENT_OFFERS_WINDOW_MS;
  parts.push(`CASE WHEN last_offer_ms IS NULL OR last_offer_ms <= @since30 THEN 0
      WHEN last_offer_ms > @since3 THEN ${WEIGHTS.askedVeryRecently} + ${spread}
      WHEN last_offer_ms > @since14 THEN ${WEIGHTS.askedRecently} + ${spread}
      ELSE ${spread} END`);
  const declineCap = WEIGHTS.maxDeclinePenalty / WEIGHTS.perDecline;
  parts.push(`CASE WHEN decline_streak <= 0 THEN 0 WHEN decline_streak >= ${declineCap} THEN ${WEIGHTS.maxDeclinePenalty}
      ELSE decline_streak * ${WEIGHTS.perDecline} END`);
  return { sql: `(${parts.join("\n  + ")})`, params };
}
