import { neighbourhoodKey, RECENT_OFFERS_WINDOW_MS, WEIGHTS, type CandidateQuery } from "../../domain/matching.js";
import { DAY_PARTS, WEEKDAYS } from "../../domain/taxonomy.js";

/**
 * `scoreCandidate` as one SQL expression over a `match_index` row, so SQLite
 * ranks a province's candidates in C and hands back only the best few. The
 * domain function stays the authority: the adapter rescores what SQL returns
 * (and `test/store/score-sql.test.ts` holds the two to the same numbers).
 * Built from the same WEIGHTS; values come in as bound parameters.
 */
export function scoreSql(q: CandidateQuery, nowMs: number): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { now: nowMs };
  const parts: string[] = [String(WEIGHTS.base)];
  if (q.role) parts.push(String(WEIGHTS.role));
  if (q.skills.length) {
    const matched = q.skills.map((s, i) => {
      params[`skill${i}`] = `,${s},`;
      return `(instr(skills, @skill${i}) > 0)`;
    });
    parts.push(`min(${matched.join(" + ")}, ${WEIGHTS.maxSkills}) * ${WEIGHTS.perSkill}`);
  }
  const bits: string[] = [];
  for (let b = 0; b < WEEKDAYS.length * DAY_PARTS.length; b++)
    if (q.slotMask & (1 << b)) bits.push(`((slot_mask >> ${b}) & 1)`);
  parts.push(`min(${bits.join(" + ") || "0"}, ${WEIGHTS.maxSharedSlots}) * ${WEIGHTS.perSharedSlot}`);
  const otherwise = q.neighbourhood
    ? `CASE WHEN county <> @county THEN ${WEIGHTS.otherCounty} WHEN hood_key = @hood THEN ${WEIGHTS.sameNeighbourhood} ELSE 0 END`
    : `CASE WHEN county <> @county THEN ${WEIGHTS.otherCounty} ELSE 0 END`;
  params.county = q.county;
  if (q.neighbourhood) params.hood = neighbourhoodKey(q.neighbourhood);
  if (q.location) {
    Object.assign(params, { lat: q.location.lat, lon: q.location.lon });
    const rad = Math.PI / 180;
    const km = `2 * 6371 * asin(min(1, sqrt(
        pow(sin((lat - @lat) * ${rad} / 2), 2)
      + cos(@lat * ${rad}) * cos(lat * ${rad}) * pow(sin((lon - @lon) * ${rad} / 2), 2))))`;
    parts.push(`CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN -min(round(${km}), ${WEIGHTS.maxDistancePenalty})
      ELSE ${otherwise} END`);
  } else parts.push(otherwise);
  const day = 86_400_000;
  parts.push(`CASE WHEN last_offer_ms IS NULL THEN 0
      WHEN @now - last_offer_ms < ${3 * day} THEN ${WEIGHTS.askedVeryRecently}
      WHEN @now - last_offer_ms < ${14 * day} THEN ${WEIGHTS.askedRecently} ELSE 0 END`);
  parts.push(`CASE WHEN last_offer_ms IS NOT NULL AND @now - last_offer_ms < ${RECENT_OFFERS_WINDOW_MS} AND recent_offers > 0
      THEN max(recent_offers * ${WEIGHTS.perRecentOffer}, ${WEIGHTS.maxSpreadPenalty}) ELSE 0 END`);
  parts.push(
    `CASE WHEN decline_streak > 0 THEN max(decline_streak * ${WEIGHTS.perDecline}, ${WEIGHTS.maxDeclinePenalty}) ELSE 0 END`,
  );
  return { sql: `(${parts.join("\n  + ")})`, params };
}
