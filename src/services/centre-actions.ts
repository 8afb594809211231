import { addDaysIso, isoDateIn } from "../domain/jalali.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Logger } from "../logger.js";
import { CENTRE_ACTION_KINDS, type CentreAction, type CentreActionKind, type Store } from "../store/port/index.js";
import { audit, centresOf, type Actor } from "./access.js";

/** The most participants one action may report. */
export const MAX_PARTICIPANTS = 100_000;
/** How far back an action may be reported. */
export const ACTION_DAYS_BACK = 60;

export interface CentreActionInput {
  centreCode: string;
  kind: CentreActionKind;
  /** The day it took place (ISO, in the configured zone): today or up to {@link ACTION_DAYS_BACK} days before. */
  date: string;
  participants: number;
}

/**
 * A centre's local action (an iftar gathering, a class, counselling, a
 * screening) reported by one of its coordinators: what the Ramadan indicators
 * count. The chat's `/action` asks for it step by step; this checks it again
 * (the input, and that the actor coordinates that centre), records it and
 * audits it, refusals included.
 */
export async function reportCentreAction(
  d: { store: Store; logger: Logger; timeZone: string },
  actor: Actor,
  input: CentreActionInput,
  now: Date,
): Promise<Result<CentreAction, "invalid" | "forbidden">> {
  const today = isoDateIn(now, d.timeZone);
  const valid =
    CENTRE_ACTION_KINDS.includes(input.kind) &&
    Number.isInteger(input.participants) &&
    input.participants >= 1 &&
    input.participants <= MAX_PARTICIPANTS &&
    /^\d{4}-\d{2}-\d{2}$/.test(input.date) &&
    input.date <= today &&
    input.date >= addDaysIso(today, -ACTION_DAYS_BACK);
  if (!valid) return fail("invalid");
  const allowed = (await centresOf(d.store, actor)).some((c) => c.code === input.centreCode);
  const { kind, date, participants } = input;
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "centre.action",
    scope: input.centreCode,
    target: null,
    outcome: allowed ? "ok" : "refused",
    details: { kind, date, participants },
  });
  if (!allowed) return fail("forbidden");
  return ok(await d.store.centres.reportAction({ ...input, reportedBy: actor.id }));
}
