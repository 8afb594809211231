import { addDaysIso, isoDateIn } from "../../src/domain/jalali.js";
import { postNeed } from "../../src/services/matching/index.js";
import type { Harness } from "./harness.js";

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
