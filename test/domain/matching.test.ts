import { describe, expect, it } from "vitest";
import {
  afterOffer,
  bitCount,
  distanceKm,
  scoringKm,
  isEligible,
  neighbourhoodKey,
  RECENT_OFFERS_WINDOW_MS,
  scoreCandidate,
  slotMask,
  slotsOfMask,
  topCandidates,
  waveSize,
  WEIGHTS,
  type CandidateQuery,
  type CandidateRow,
} from "../../src/domain/matching.js";
import { refilledStatus, statusForFill } from "../../src/domain/needs.js";
import { isBalanced, reversePostings, servicePostings, hoursOf } from "../../src/domain/ledger.js";

const NOW = Date.UTC(2026, 10, 25, 10);
const DAY = 86_400_000;

const q = (over: Partial<CandidateQuery> = {}): CandidateQuery => ({
  province: "golestan",
  county: "gorgan",
  neighbourhood: "Sar Cheshmeh",
  location: null,
  reach: "province",
  role: "elderly_companion",
  skills: ["elderly_care"],
  slotMask: slotMask(["sat.morning", "sun.morning"]),
  exclude: new Set(),
  ...over,
});

const row = (over: Partial<CandidateRow> = {}): CandidateRow => ({
  personId: "p",
  county: "gorgan",
  neighbourhood: null,
  lat: null,
  lon: null,
  slotMask: slotMask(["sat.morning"]),
  skillsMatched: 0,
  hasRole: true,
  lastOfferMs: null,
  recentOffers: 0,
  declineStreak: 0,
  ...over,
});

describe("availability overlap", () => {
  it("maps the 21 weekly slots to distinct bits and back", () => {
    const all = slotMask(["sat.morning", "fri.evening", "wed.afternoon"]);
    expect(bitCount(all)).toBe(3);
    expect(slotsOfMask(all)).toEqual(["sat.morning", "wed.afternoon", "fri.evening"]);
    expect(slotMask(["sat.morning"])).toBe(1);
    expect(slotMask(["fri.evening"])).toBe(1 << 20);
    expect(slotMask(["nope.morning", "sat.noon"])).toBe(0);
  });

  it("needs at least one shared slot, and scores each shared slot up to a cap", () => {
    expect(isEligible(row({ slotMask: slotMask(["mon.evening"]) }), q())).toBe(false);
    const two = scoreCandidate(row({ slotMask: slotMask(["sat.morning", "sun.morning"]) }), q(), NOW);
    const one = scoreCandidate(row(), q(), NOW);
    expect(two.score - one.score).toBe(WEIGHTS.perSharedSlot);
    expect(two.reasons.find((r) => r.key === "slots")!.params).toEqual({ count: 2 });
  });
});

describe("distance", () => {
  it("computes great-circle distance in km", () => {
    // Gorgan to Gonbad-e Kavus is about 80 km as the crow flies.
    expect(distanceKm({ lat: 36.84, lon: 54.44 }, { lat: 37.25, lon: 55.17 })).toBeGreaterThan(75);
    expect(distanceKm({ lat: 36.84, lon: 54.44 }, { lat: 37.25, lon: 55.17 })).toBeLessThan(85);
    expect(distanceKm({ lat: 36.84, lon: 54.44 }, { lat: 36.84, lon: 54.44 })).toBe(0);
    // Scoring's flat approximation stays within 1 % of it across a province.
    for (const [lat, lon] of [
      [37.25, 55.17],
      [36.5, 54.0],
      [37.6, 56.2],
      [36.9, 54.45],
    ] as const) {
      const exact = distanceKm({ lat: 36.84, lon: 54.44 }, { lat, lon });
      expect(Math.abs(scoringKm({ lat: 36.84, lon: 54.44 }, lat, lon) - exact)).toBeLessThan(exact * 0.01);
    }
  });

  it("uses distance when both have a location, else neighbourhood and county", () => {
    const place = { lat: 36.84, lon: 54.44 };
    const near = scoreCandidate(row({ lat: 36.85, lon: 54.45 }), q({ location: place }), NOW);
    const far = scoreCandidate(row({ lat: 37.25, lon: 55.17 }), q({ location: place }), NOW);
    expect(near.score).toBeGreaterThan(far.score);
    expect(far.reasons.find((r) => r.key === "distance")!.points).toBe(-WEIGHTS.maxDistancePenalty);
    const sameHood = scoreCandidate(row({ neighbourhood: neighbourhoodKey(" sar  cheshmeh ") }), q(), NOW);
    const otherCounty = scoreCandidate(row({ county: "gonbad" }), q(), NOW);
    expect(sameHood.reasons.map((r) => r.key)).toContain("same_neighbourhood");
    expect(otherCounty.reasons.map((r) => r.key)).toContain("other_county");
    expect(sameHood.score).toBeGreaterThan(scoreCandidate(row(), q(), NOW).score);
    expect(otherCounty.score).toBeLessThan(scoreCandidate(row(), q(), NOW).score);
  });

  it("keeps county-level needs inside the county", () => {
    expect(isEligible(row({ county: "gonbad" }), q({ reach: "county" }))).toBe(false);
    expect(isEligible(row({ county: "gonbad" }), q({ reach: "province" }))).toBe(true);
  });
});

describe("scoring is explainable", () => {
  it("every point has a reason: base plus the reasons is the score", () => {
    const c = scoreCandidate(
      row({
        skillsMatched: 1,
        lastOfferMs: NOW - 5 * DAY,
        recentOffers: 2,
        declineStreak: 1,
        neighbourhood: neighbourhoodKey("Sar Cheshmeh"),
      }),
      q(),
      NOW,
    );
    expect(c.score).toBe(WEIGHTS.base + c.reasons.reduce((s, r) => s + r.points, 0));
    expect(c.reasons.map((r) => r.key).sort()).toEqual(
      ["asked_recently", "declines", "role", "same_neighbourhood", "skills", "slots", "spread"].sort(),
    );
  });

  it("requires the role when the need names one, else a skill", () => {
    expect(isEligible(row({ hasRole: false, skillsMatched: 3 }), q())).toBe(false);
    expect(isEligible(row({ hasRole: false, skillsMatched: 1 }), q({ role: null }))).toBe(true);
    expect(isEligible(row({ hasRole: false, skillsMatched: 0 }), q({ role: null }))).toBe(false);
    expect(isEligible(row({ personId: "x" }), q({ exclude: new Set(["x"]) }))).toBe(false);
  });
});

describe("fairness", () => {
  it("penalises recent notices, lately and very lately", () => {
    const fresh = scoreCandidate(row(), q(), NOW).score;
    const veryRecent = scoreCandidate(row({ lastOfferMs: NOW - DAY, recentOffers: 1 }), q(), NOW).score;
    const recent = scoreCandidate(row({ lastOfferMs: NOW - 10 * DAY, recentOffers: 1 }), q(), NOW).score;
    const long = scoreCandidate(row({ lastOfferMs: NOW - 40 * DAY, recentOffers: 1 }), q(), NOW).score;
    expect(veryRecent).toBeLessThan(recent);
    expect(recent).toBeLessThan(fresh);
    expect(long).toBe(fresh);
  });

  it("penalises repeated declines, capped", () => {
    const s = (n: number) => scoreCandidate(row({ declineStreak: n }), q(), NOW).score;
    expect(s(1)).toBeLessThan(s(0));
    expect(s(3)).toBeLessThan(s(1));
    expect(s(50)).toBe(WEIGHTS.base + WEIGHTS.role + WEIGHTS.perSharedSlot + WEIGHTS.maxDeclinePenalty);
  });

  it("spreads requests: repeated waves reach people not asked lately", () => {
    const people = Array.from({ length: 10 }, (_, i) => row({ personId: `p${i}` }));
    const asked = new Map<string, { lastOfferMs: number | null; recentOffers: number }>();
    const seen = new Set<string>();
    for (let wave = 0; wave < 5; wave++) {
      const now = NOW + wave * DAY;
      const rows = people.map((p) => ({ ...p, ...(asked.get(p.personId) ?? {}) }));
      for (const c of topCandidates(rows, q(), 2, now)) {
        seen.add(c.row.personId);
        asked.set(c.row.personId, afterOffer(asked.get(c.row.personId) ?? { lastOfferMs: null, recentOffers: 0 }, now));
      }
    }
    expect(seen.size).toBe(10);
  });

  it("resets the recent-offer count after the window", () => {
    expect(afterOffer({ lastOfferMs: null, recentOffers: 0 }, NOW)).toEqual({ lastOfferMs: NOW, recentOffers: 1 });
    expect(afterOffer({ lastOfferMs: NOW - DAY, recentOffers: 3 }, NOW)).toEqual({ lastOfferMs: NOW, recentOffers: 4 });
    expect(afterOffer({ lastOfferMs: NOW - RECENT_OFFERS_WINDOW_MS, recentOffers: 3 }, NOW).recentOffers).toBe(1);
  });
});

describe("top candidates", () => {
  it("keeps the best N in order, breaking ties by longest since asked, then id", () => {
    const rows = [
      row({ personId: "b" }),
      row({ personId: "a" }),
      row({ personId: "c", skillsMatched: 1 }),
      row({ personId: "d", lastOfferMs: NOW - 20 * DAY, recentOffers: 0 }),
      row({ personId: "e", hasRole: false }),
    ];
    expect(topCandidates(rows, q(), 3, NOW).map((c) => c.row.personId)).toEqual(["c", "a", "b"]);
    expect(topCandidates(rows, q(), 10, NOW).map((c) => c.row.personId)).toEqual(["c", "a", "b", "d"]);
    expect(topCandidates([], q(), 3, NOW)).toEqual([]);
  });

  it("matches a full sort on random rows", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rows = Array.from({ length: 500 }, (_, i) =>
      row({
        personId: `p${String(i).padStart(3, "0")}`,
        county: rnd() < 0.5 ? "gorgan" : "gonbad",
        slotMask: Math.floor(rnd() * 2 ** 21),
        skillsMatched: Math.floor(rnd() * 3),
        hasRole: rnd() < 0.7,
        lastOfferMs: rnd() < 0.5 ? NOW - Math.floor(rnd() * 30) * DAY : null,
        recentOffers: Math.floor(rnd() * 5),
        declineStreak: Math.floor(rnd() * 4),
      }),
    );
    const sorted = rows
      .filter((r) => isEligible(r, q()))
      .map((r) => scoreCandidate(r, q(), NOW))
      .sort(
        (a, b) =>
          b.score - a.score ||
          (a.row.lastOfferMs ?? 0) - (b.row.lastOfferMs ?? 0) ||
          (a.row.personId < b.row.personId ? -1 : 1),
      );
    expect(topCandidates(rows, q(), 20, NOW).map((c) => c.row.personId)).toEqual(
      sorted.slice(0, 20).map((c) => c.row.personId),
    );
  });
});

describe("waves", () => {
  it("asks three times what is still open, minus those awaiting, capped", () => {
    expect(waveSize({ wanted: 2, filled: 0, awaiting: 0 })).toBe(6);
    expect(waveSize({ wanted: 2, filled: 1, awaiting: 1 })).toBe(2);
    expect(waveSize({ wanted: 2, filled: 0, awaiting: 6 })).toBe(0);
    expect(waveSize({ wanted: 2, filled: 2, awaiting: 0 })).toBe(0);
    expect(waveSize({ wanted: 50, filled: 0, awaiting: 0 })).toBe(20);
  });
});

describe("need life cycle", () => {
  it("moves between open, partly filled and filled by places taken", () => {
    expect(statusForFill(3, 0)).toBe("open");
    expect(statusForFill(3, 2)).toBe("partly_filled");
    expect(statusForFill(3, 3)).toBe("filled");
    expect(refilledStatus("filled", 3, 2)).toBe("partly_filled");
    expect(refilledStatus("closed", 3, 0)).toBe("closed");
    expect(refilledStatus("expired", 3, 3)).toBe("expired");
  });
});

describe("ledger entries", () => {
  it("credits the giver and debits the receiver, balanced", () => {
    const p = servicePostings("person:a", "centre:c", 120);
    expect(p).toEqual([
      { account: "person:a", minutes: 120, side: "giver" },
      { account: "centre:c", minutes: -120, side: "receiver" },
    ]);
    expect(isBalanced(p)).toBe(true);
    expect(isBalanced(reversePostings(p))).toBe(true);
    expect(isBalanced([{ account: "person:a", minutes: 1, side: "giver" }])).toBe(false);
    expect(hoursOf(90)).toBe(1.5);
  });

  it("refuses zero, negative, fractional, too long or self-paying services", () => {
    for (const m of [0, -60, 1.5, 13 * 60])
      expect(() => servicePostings("person:a", "centre:c", m)).toThrow(RangeError);
    expect(() => servicePostings("person:a", "person:a", 60)).toThrow(RangeError);
  });
});
