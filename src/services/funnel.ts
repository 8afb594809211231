import { firstMissingStep, REGISTRATION_STEPS, type RegistrationStep } from "../domain/registration.js";
import type { IdentityRef, Store } from "../store/port/index.js";

/** One step of the registration: how many reached it, and how many stopped there (not registered). */
export interface FunnelStep {
  step: RegistrationStep | "registered";
  reached: number;
  left: number;
}

/** The steps a person answers, in order; `registered` stands for the end. */
const STEPS = REGISTRATION_STEPS.filter((s) => s !== "summary");

/**
 * The registration funnel of the people who first wrote since `since`, from
 * the store (each unfinished draft's first unanswered step is where its
 * person stopped). Within `provinces` (all when `null`): the registered by
 * their province, the unfinished by the province they chose, so a scoped
 * funnel counts only those past the province step.
 */
export async function registrationFunnel(
  store: Store,
  since: Date | null,
  provinces: readonly string[] | null = null,
  admins: readonly IdentityRef[] = [],
): Promise<FunnelStep[]> {
  const data = await store.people.registrationFunnel(since);
  const inScope = (province: string | null | undefined) => provinces === null || provinces.includes(province ?? "");
  const registered = data.registered.filter(inScope).length;
  // Coordinators (granted roles, ADMIN_IDS) who have not chosen to register are not citizens who stopped.
  const staff = new Set<string>();
  for (const ref of [...(await store.access.list()), ...admins]) {
    const person = await store.people.findByIdentity({ platform: ref.platform, userId: ref.userId });
    if (person) staff.add(person.id);
  }
  const at = data.unfinished
    .filter((u) => !(staff.has(u.personId) && u.draft === null))
    .map((u) => u.draft ?? { v: 1 as const })
    .filter((d) => inScope(d.province))
    .map((d) => {
      const step = firstMissingStep(d);
      // Every answer in, but not registered (the last save failed): past every step.
      return step === "summary" ? STEPS.length : STEPS.indexOf(step);
    });
  const rows: FunnelStep[] = STEPS.map((step, i) => ({
    step,
    reached: registered + at.filter((j) => j >= i).length,
    left: at.filter((j) => j === i).length,
  }));
  rows.push({ step: "registered", reached: registered, left: 0 });
  return rows;
}
