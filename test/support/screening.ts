import { addDaysIso, isoDateIn } from "../../src/domain/jalali.js";
import { postNeed } from "../../src/services/matching/index.js";
import { createHarness, type Harness } from "./harness.js";
import { importSampleData } from "./sample.js";

/** Safeguarding's tests start on this day. */
export const SCREENING_START = new Date("2026-12-08T06:00:00Z");

/** The app with the sample data, its matching reading "now" from the test's clock. */
export async function screeningHarness(now: () => Date): Promise<Harness> {
  const h = await createHarness();
  await importSampleData(h.app.deps.store);
  h.app.deps.matching.now = now;
  return h;
}

/** An infant home's need for one «مادریار» this week, posted by its coordinator; returns whom its first wave asked. */
export async function motherHelperNeed(h: Harness, coordinatorId: number, now: Date) {
  const r = await postNeed(
    h.app.deps.matching,
    await h.app.deps.actors.of({ platform: "telegram", userId: String(coordinatorId) }),
    {
      centreCode: "KSH-POS-01",
      role: "mother_helper",
      skills: [],
      wanted: 1,
      startDate: isoDateIn(now, "Asia/Tehran"),
      endDate: addDaysIso(isoDateIn(now, "Asia/Tehran"), 6),
      slots: ["sat.morning"],
      reach: "province",
      notes: null,
    },
  );
  if (!r.ok) throw new Error(r.error);
  return (await h.app.deps.store.needs.offers(r.value.id)).map((o) => o.personId);
}
