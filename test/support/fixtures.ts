import type { NewNeed } from "../../src/store/port.js";

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
