import { slotMask, type CandidateQuery } from "../../src/domain/matching.js";
import type { NewNeed } from "../../src/store/port/index.js";

/** An open centre need for a neighbourhood helper in December, with any field replaced. */
export const newNeed = (over: Partial<NewNeed> & Pick<NewNeed, "centreCode">): NewNeed => ({
  kind: "centre",
  requesterId: null,
  createdBy: "telegram:900",
  role: "neighbourhood_helper",
  skills: [],
  wanted: 2,
  startDate: "2026-12-01",
  endDate: "2026-12-31",
  slots: ["sat.morning"],
  reach: "province",
  notes: null,
  status: "open",
  ...over,
});

/** A candidate search for a neighbourhood helper free on Saturday mornings, province-wide in Kermanshah. */
export const candidateQuery = (over: Partial<CandidateQuery> = {}): CandidateQuery => ({
  province: "kermanshah",
  county: "kermanshah",
  neighbourhood: null,
  location: null,
  reach: "province",
  role: "neighbourhood_helper",
  skills: [],
  slotMask: slotMask(["sat.morning"]),
  exclude: new Set(),
  ...over,
});
