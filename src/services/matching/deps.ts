import { isQuiet, type QuietHours } from "../../domain/quiet-hours.js";
import type { I18n, TFunction } from "../../i18n.js";
import type { Logger } from "../../logger.js";
import type { Language, Person, Store } from "../../store/port/index.js";
import { holders } from "../access.js";
import { pushToAccount, type PushOptions } from "../broadcast.js";

/** What every part of matching is given, and the shapes they share. */
export interface MatchingDeps {
  store: Store;
  i18n: I18n;
  logger: Logger;
  timeZone: string;
  /** The app's clock. */
  now: () => Date;
  offerTtlMs?: number;
  /** No new wave of notices goes out in quiet hours (the next tick after them sends it); `null`: none. */
  quietHours?: QuietHours | null;
  /** When an introduction awaiting its institution is reminded, and raised to the province (APPROVAL_*_HOURS). */
  approvalHandoff?: { remindHours: number; raiseHours: number };
}

/** Why matching refused: not allowed, no such thing, bad input, or no longer in a state that allows it. */
export type Refusal = "forbidden" | "not_found" | "invalid" | "state";

export const nowOf = (d: MatchingDeps) => d.now();
/** Volunteers are not woken for a notice: waves wait for the end of quiet hours. */
export const inQuietHours = (d: MatchingDeps) => !!d.quietHours && isQuiet(nowOf(d), d.timeZone, d.quietHours);
export const langOf = (p: Pick<Person, "language"> | null): Language => p?.language ?? "fa";

/** Tells every account holding a role in a scope, each in their own language. */
export async function pushToHolders(
  d: MatchingDeps,
  role: "institution_operator" | "centre_coordinator" | "provincial_admin",
  scope: string,
  build: (t: TFunction, lang: Language) => { text: string; buttons?: PushOptions["buttons"]; about?: string[] },
): Promise<void> {
  for (const ref of await holders(d.store, role, scope)) {
    const lang = langOf(await d.store.people.findByIdentity(ref));
    const { text, buttons, about } = build(d.i18n.t(lang), lang);
    await pushToAccount(d.store, ref, text, { ...(buttons ? { buttons } : {}), ...(about ? { about } : {}) });
  }
}
