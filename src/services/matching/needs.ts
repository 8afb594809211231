import { addDaysIso, isoDateIn } from "../../domain/jalali.js";
import { slotMask, waveSize, type CandidateQuery } from "../../domain/matching.js";
import { ACTIVE_NEED_STATUSES, isActiveNeed, MAX_WANTED, OFFER_TTL_MS } from "../../domain/needs.js";
import type { Centre, Need, NewNeed, Offer } from "../../store/port/index.js";
import { audit, authorize, canActForCentre, type Actor } from "../access.js";
import { pushTo } from "../broadcast.js";
import { inQuietHours, langOf, nowOf, type MatchingDeps, type Refusal } from "./deps.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { offerNotice } from "./notices.js";
import { chaseApprovals, type Chased } from "./approvals.js";
import { isGatedRole } from "../../domain/screening.js";
import { qualifiedFor } from "./gate.js";

/** Needs: posted by a centre, matched in waves, closed by their owner, expired by the tick. */

export interface NeedInput {
  centreCode: string;
  role: string | null;
  skills: string[];
  wanted: number;
  startDate: string;
  endDate: string;
  slots: NewNeed["slots"];
  reach: NewNeed["reach"];
  notes: string | null;
}

export function validNeed(n: NeedInput, today: string): boolean {
  return (
    Number.isInteger(n.wanted) &&
    n.wanted >= 1 &&
    n.wanted <= MAX_WANTED &&
    (n.role !== null || n.skills.length > 0) &&
    n.slots.length > 0 &&
    /^\d{4}-\d{2}-\d{2}$/.test(n.startDate) &&
    /^\d{4}-\d{2}-\d{2}$/.test(n.endDate) &&
    n.startDate <= n.endDate &&
    n.endDate >= today
  );
}

/** A centre's coordinator (or an admin over it) posts a need; the first wave goes out at once. */
export async function postNeed(d: MatchingDeps, actor: Actor, input: NeedInput): Promise<Result<Need, Refusal>> {
  const centre = await d.store.centres.getCentre(input.centreCode);
  if (!centre) return fail("not_found");
  const attempt = { actor: actor.id, action: "need.post", scope: centre.code, target: null };
  if (!(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return fail("forbidden");
  if (!validNeed(input, isoDateIn(nowOf(d), d.timeZone))) return fail("invalid");
  const need = await d.store.needs.create({
    ...input,
    kind: "centre",
    requesterId: null,
    createdBy: actor.id,
    status: "open",
  });
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "need.post",
    scope: centre.code,
    target: need.id,
    outcome: "ok",
    details: { wanted: need.wanted, role: need.role, skills: need.skills.length, reach: need.reach },
  });
  await runWave(d, need.id);
  return ok((await d.store.needs.get(need.id))!);
}

/**
 * How a need just posted went, as the chat and the console say it: `posted`
 * (with how many its first wave asked), `posted_quiet` (the wave waits for
 * the end of quiet hours) or `posted_none` (nobody fits yet).
 */
export async function firstWave(
  d: MatchingDeps,
  needId: string,
): Promise<{ outcome: "posted" | "posted_quiet" | "posted_none"; offers: number }> {
  const offers = (await d.store.needs.offers(needId)).length;
  return { offers, outcome: offers ? "posted" : inQuietHours(d) ? "posted_quiet" : "posted_none" };
}

/**
 * A centre's coordinator (or an admin over it) changes a need: how many
 * (never fewer than filled), until when, the notes. Audited; when places open
 * up, the next wave goes out (`runWave` holds it in quiet hours as it does for
 * a new need).
 */
export async function editNeed(
  d: MatchingDeps,
  actor: Actor,
  needId: string,
  patch: { wanted: number; endDate: string; notes: string | null },
): Promise<Result<Need, Refusal>> {
  const need = needId.length < 100 ? await d.store.needs.get(needId) : null;
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre) return fail("not_found");
  const attempt = { actor: actor.id, action: "need.edit", scope: centre.code, target: needId };
  if (!(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return fail("forbidden");
  if (!validNeed({ ...need, ...patch }, isoDateIn(nowOf(d), d.timeZone))) return fail("invalid");
  const edited = await d.store.needs.edit(needId, patch);
  await audit(d.store, d.logger, {
    ...attempt,
    outcome: edited ? "ok" : "refused",
    details: { wanted: patch.wanted, was: need.wanted },
  });
  if (!edited) return fail("state");
  if (edited.status !== "filled" && patch.wanted > need.wanted) await runWave(d, needId);
  return ok((await d.store.needs.get(needId))!);
}

/** A need that has ended (filled, closed, expired) may be posted again; a citizen's request may not. */
const AGAIN_FROM: readonly Need["status"][] = ["filled", "closed", "expired"];

/** The same need again: from today, for as many days as it ran before. */
export function needAgain(need: Need, today: string): NeedInput {
  const days = Math.round((Date.parse(need.endDate) - Date.parse(need.startDate)) / 86_400_000);
  const { centreCode, role, skills, wanted, slots, reach, notes } = need;
  return { centreCode, role, skills, wanted, slots, reach, notes, startDate: today, endDate: addDaysIso(today, days) };
}

/**
 * What posting an ended need again would post (the same people wanted, the
 * same hours, from today), if this actor may: refusals audited.
 */
export async function repostPreview(
  d: MatchingDeps,
  actor: Actor,
  needId: string,
): Promise<Result<NeedInput, Refusal>> {
  const need = await d.store.needs.get(needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre) return fail("not_found");
  const attempt = { actor: actor.id, action: "need.post", scope: centre.code, target: needId };
  if (!(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return fail("forbidden");
  if (need.kind !== "centre" || !AGAIN_FROM.includes(need.status)) return fail("state");
  return ok(needAgain(need, isoDateIn(nowOf(d), d.timeZone)));
}

/**
 * A centre's coordinator posts an ended need again: a new need with its own
 * first wave, so that those who declined before are asked again.
 */
export async function repostNeed(d: MatchingDeps, actor: Actor, needId: string): Promise<Result<Need, Refusal>> {
  const input = await repostPreview(d, actor, needId);
  return input.ok ? postNeed(d, actor, input.value) : input;
}

/** The search a need makes, from its centre's place. */
export function queryOf(need: Need, centre: Centre, exclude: ReadonlySet<string>): CandidateQuery {
  return {
    province: centre.province,
    county: centre.county,
    neighbourhood: centre.neighbourhood,
    location: centre.location,
    reach: need.reach,
    role: need.role,
    skills: need.skills,
    slotMask: slotMask(need.slots),
    exclude,
  };
}

/**
 * Sends the next wave of a need's offers, if it still needs people and
 * enough offers are not already waiting. Returns the offers sent.
 */
export async function runWave(d: MatchingDeps, needId: string): Promise<Offer[]> {
  if (inQuietHours(d)) return [];
  const need = await d.store.needs.get(needId);
  if (!need || !isActiveNeed(need.status)) return [];
  const centre = await d.store.centres.getCentre(need.centreCode);
  if (!centre) return [];
  const offers = await d.store.needs.offers(needId);
  const now = nowOf(d);
  const awaiting = offers.filter(
    (o) => (o.status === "pending" || o.status === "deferred") && o.expiresAt > now,
  ).length;
  const size = waveSize({ wanted: need.wanted, filled: need.filled, awaiting });
  if (size === 0) return [];
  const exclude = new Set(offers.map((o) => o.personId));
  if (need.requesterId) exclude.add(need.requesterId);
  const candidates = await gatedCandidates(d, need, queryOf(need, centre, exclude), size, now);
  if (candidates.length === 0) return [];
  const expires = new Date(now.getTime() + (d.offerTtlMs ?? OFFER_TTL_MS));
  const created = await d.store.needs.createOffers(needId, candidates, now, expires);
  for (const offer of created) await notifyOffer(d, offer, need, centre);
  d.logger.info({ need: needId, wave: need.waves + 1, offers: created.length }, "match wave sent");
  return created;
}

/**
 * The best `size` candidates a need may be offered to: for a role that puts
 * people with infants, children or the vulnerable (`ROLE_SCREENING`), only
 * those whose checks are all done and unexpired; the search widens (up to
 * 200 scored) so that the unqualified do not shrink the wave.
 */
async function gatedCandidates(d: MatchingDeps, need: Need, query: CandidateQuery, size: number, now: Date) {
  if (!need.role || !isGatedRole(need.role)) return d.store.needs.candidates(query, size, now);
  const wide = await d.store.needs.candidates(query, Math.min(200, size * 10), now);
  const qualified = await qualifiedFor(
    d,
    need.role,
    wide.map((c) => c.row.personId),
  );
  return wide.filter((c) => qualified.has(c.row.personId)).slice(0, size);
}

async function notifyOffer(d: MatchingDeps, offer: Offer, need: Need, centre: Centre): Promise<void> {
  const person = await d.store.people.get(offer.personId);
  if (!person) return;
  const lang = langOf(person);
  const { text, buttons } = offerNotice(d.i18n.t(lang), lang, d.timeZone, offer, need, centre);
  await pushTo(d.store, person.id, text, { buttons });
}

/** An owner closes a need: open offers are withdrawn. */
export async function closeNeed(
  d: MatchingDeps,
  actor: Actor,
  needId: string,
  /** Only whether it may be closed now (a confirmation is asked first): checked and refusals audited, nothing changed. */
  check = false,
): Promise<Result<Need, Refusal>> {
  const need = await d.store.needs.get(needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre) {
    // A need that is not there (a forged or stale button) is refused on the record, as one of another centre is.
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "need.close",
      scope: "*",
      target: needId.slice(0, 100),
      outcome: "refused",
    });
    return fail("not_found");
  }
  const mayClose = canActForCentre(actor, centre) || (need.requesterId !== null && actor.id === need.createdBy);
  const attempt = { actor: actor.id, action: "need.close", scope: centre.code, target: needId };
  if (!(await authorize(d.store, d.logger, mayClose, attempt))) return fail("forbidden");
  if (check) return [...ACTIVE_NEED_STATUSES, "filled", "review"].includes(need.status) ? ok(need) : fail("state");
  const closed = await d.store.needs.transition(
    needId,
    [...ACTIVE_NEED_STATUSES, "filled", "review"],
    "closed",
    actor.id,
  );
  if (closed) await d.store.needs.withdrawOpen(needId);
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "need.close",
    scope: centre.code,
    target: needId,
    outcome: closed ? "ok" : "refused",
  });
  return closed ? ok((await d.store.needs.get(needId))!) : fail("state");
}

/**
 * The periodic work: unanswered offers expire, ended needs expire, and
 * needs still short of people send their next wave. Safe to run on every
 * worker: each step is a guarded update.
 */
export async function matchingTick(
  d: MatchingDeps,
): Promise<{ expiredOffers: number; expiredNeeds: number; waves: number } & Chased> {
  const now = nowOf(d);
  const expiredOffers = await d.store.needs.expireOffers(now);
  const expiredNeeds = await d.store.needs.expireEnded(isoDateIn(now, d.timeZone));
  for (const n of expiredNeeds) await d.store.needs.withdrawOpen(n.id);
  let waves = 0;
  for (const need of await d.store.needs.list({ statuses: [...ACTIVE_NEED_STATUSES] })) {
    if ((await runWave(d, need.id)).length > 0) waves++;
  }
  // Introductions nobody has decided: reminded to the institution, then raised to the province.
  const chased = await chaseApprovals(d);
  return { expiredOffers: expiredOffers.length, expiredNeeds: expiredNeeds.length, waves, ...chased };
}
