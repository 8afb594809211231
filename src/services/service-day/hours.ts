import { createHash, randomUUID } from "node:crypto";
import { centreAccount, personAccount, serviceKey, servicePostings } from "../../domain/ledger.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { AWAITING_APPROVAL, meaningfulReason, validSessionMinutes } from "../../domain/sessions.js";
import type { Centre, Person, ServiceSession } from "../../store/port/index.js";
import { audit, authorize, canActForCentre, centresOf, isOwnPerson, type Actor } from "../access.js";
import { nowOf } from "../matching/deps.js";
import { thankVolunteer } from "../matching/hours.js";
import type { ServiceDayDeps } from "./deps.js";

/**
 * Hours from attendance: each checked-out session proposes its minutes; the
 * centre's coordinator corrects one with a reason, and approves one or all.
 * An approval posts one ledger entry per volunteer for the sessions it
 * credits. Each session is claimed (`crediting`, with the entry's key)
 * before the entry is posted, so no session is credited twice, whoever
 * approves it at the same time; a crash between the two is finished by the
 * tick (`finishCrediting`), the entry's key making that post idempotent.
 */

/** A centre's attendance for its coordinator: sessions awaiting approval, and today's and the coming days'. */
export async function attendanceBoard(d: ServiceDayDeps, actor: Actor, centreCode: string) {
  const sessions = await attendanceSessions(d, actor, centreCode);
  if (!sessions) return undefined;
  const people = new Map<string, Person | null>();
  for (const s of [...sessions.awaiting, ...sessions.coming])
    if (!people.has(s.personId)) people.set(s.personId, await d.store.people.get(s.personId));
  return { ...sessions, people };
}

/** The board's sessions without their people (the console's landing page counts them). */
export async function attendanceSessions(d: ServiceDayDeps, actor: Actor, centreCode: string) {
  const centre = centreCode.length < 50 ? await d.store.centres.getCentre(centreCode) : null;
  const attempt = {
    actor: actor.id,
    action: "attendance.view",
    scope: centre?.code ?? "*",
    target: centreCode.slice(0, 50),
  };
  if (!centre || !(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return undefined;
  const now = nowOf(d);
  const [awaiting, coming] = await Promise.all([
    d.store.sessions.list({ centreCodes: [centre.code], statuses: AWAITING_APPROVAL }, 500),
    d.store.sessions.list(
      {
        centreCodes: [centre.code],
        startsFrom: new Date(now.getTime() - 14 * 3_600_000),
        startsBefore: new Date(now.getTime() + 7 * 86_400_000),
      },
      500,
    ),
  ]);
  return { centre, awaiting, coming };
}

/** The centres whose attendance an actor manages (for the console's choice). */
export const attendanceCentres = (d: ServiceDayDeps, actor: Actor) => centresOf(d.store, actor);

/** The actor's own session: refused, and the refusal audited (nobody approves or corrects their own hours). */
async function refusedAsOwn(d: ServiceDayDeps, actor: Actor, session: ServiceSession, action: string) {
  if (!(await isOwnPerson(d.store, actor, session.personId))) return false;
  await audit(d.store, d.logger, {
    actor: actor.id,
    action,
    scope: session.centreCode,
    target: session.id,
    outcome: "refused",
    details: { reason: "own_hours" },
  });
  return true;
}

async function centreFor(d: ServiceDayDeps, actor: Actor, centreCode: string, action: string, target: string | null) {
  const centre = centreCode.length < 50 ? await d.store.centres.getCentre(centreCode) : null;
  const attempt = { actor: actor.id, action, scope: centre?.code ?? centreCode.slice(0, 50), target };
  if (!centre) {
    await audit(d.store, d.logger, { ...attempt, outcome: "refused" });
    return null;
  }
  return (await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt)) ? centre : null;
}

/** A coordinator sets a session's minutes (a flagged one has none until then), with a reason. Audited. */
export async function correctSession(
  d: ServiceDayDeps,
  actor: Actor,
  sessionId: string,
  minutes: number,
  reason: string,
): Promise<Result<ServiceSession, "forbidden" | "not_found" | "invalid" | "state" | "own">> {
  const session = sessionId.length < 100 ? await d.store.sessions.get(sessionId) : null;
  const centre = await centreFor(d, actor, session?.centreCode ?? "", "session.correct", sessionId.slice(0, 100));
  if (!session) return fail("not_found");
  if (!centre) return fail("forbidden");
  if (await refusedAsOwn(d, actor, session, "session.correct")) return fail("own");
  if (!validSessionMinutes(minutes) || !meaningfulReason(reason)) return fail("invalid");
  const corrected = await d.store.sessions.move(session.id, AWAITING_APPROVAL, "checked_out", {
    minutes,
    correctedBy: actor.id,
    correctionReason: reason.trim().slice(0, 300),
  });
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "session.correct",
    scope: centre.code,
    target: session.id,
    outcome: corrected ? "ok" : "refused",
    details: { minutes, was: session.minutes, status: session.status },
  });
  return corrected ? ok(corrected) : fail("state");
}

export interface Credited {
  personId: string;
  minutes: number;
  sessions: number;
  entryId: string;
}

/**
 * A coordinator approves sessions of their centre: the given ones, or every
 * one awaiting (`all`) that has minutes. One ledger entry per volunteer.
 * Refused: a centre they do not act for; nothing to credit (already
 * approved, or not awaiting).
 */
export async function approveAttendance(
  d: ServiceDayDeps,
  actor: Actor,
  centreCode: string,
  which: readonly string[] | "all",
): Promise<Result<{ credited: Credited[]; skipped: number }, "forbidden" | "state" | "own">> {
  const centre = await centreFor(d, actor, centreCode, "attendance.approve", null);
  if (!centre) return fail("forbidden");
  const awaiting = await d.store.sessions.list({ centreCodes: [centre.code], statuses: ["checked_out"] }, 2000);
  const requested = which === "all" ? awaiting : awaiting.filter((s) => which.includes(s.id));
  // The approver's own sessions are left for another coordinator (each refusal audited).
  const wanted: ServiceSession[] = [];
  for (const s of requested) if (!(await refusedAsOwn(d, actor, s, "attendance.approve"))) wanted.push(s);
  if (requested.length > 0 && wanted.length === 0) return fail("own");
  const payable = wanted.filter((s) => (s.minutes ?? 0) > 0);
  const asked = which === "all" ? payable.length : which.length;
  const byPerson = new Map<string, ServiceSession[]>();
  for (const s of payable) byPerson.set(s.personId, [...(byPerson.get(s.personId) ?? []), s]);
  const batch = `${nowOf(d).getTime()}:${randomUUID()}`;
  const credited: Credited[] = [];
  for (const [personId, all] of byPerson) {
    // A day a coordinator credited by hand before (the introduction's hours button) is not credited again.
    const byHand = new Set((await d.store.ledger.history(personAccount(personId), 2000)).map((e) => e.key));
    const sessions: ServiceSession[] = [];
    for (const s of all) {
      const manual = serviceKey(s.offerId, s.date);
      if (!byHand.has(manual)) sessions.push(s);
      else await d.store.sessions.move(s.id, ["checked_out"], "credited", { creditKey: manual, creditedBy: actor.id });
    }
    const key = `attendance:${batch}:${createHash("sha256").update(personId).digest("hex").slice(0, 16)}`;
    const claimed: ServiceSession[] = [];
    for (const s of sessions) {
      const c = await d.store.sessions.move(s.id, ["checked_out"], "crediting", {
        creditKey: key,
        creditedBy: actor.id,
      });
      if (c) claimed.push(c);
    }
    const done = await postCredit(d, centre, claimed, key, actor.id);
    if (done) credited.push(done);
  }
  const count = credited.reduce((n, c) => n + c.sessions, 0);
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "attendance.approve",
    scope: centre.code,
    target: null,
    outcome: count > 0 ? "ok" : "refused",
    details: { sessions: count, people: credited.length, asked, all: which === "all" },
  });
  if (count === 0) return fail("state");
  return ok({ credited, skipped: asked - count });
}

/** Posts the entry of claimed sessions (idempotent by key), marks them credited, thanks the volunteer once. */
async function postCredit(d: ServiceDayDeps, centre: Centre, claimed: ServiceSession[], key: string, by: string) {
  if (claimed.length === 0) return null;
  const minutes = claimed.reduce((m, s) => m + (s.minutes ?? 0), 0);
  const personId = claimed[0]!.personId;
  const { entry, created } = await d.store.ledger.post({
    key,
    kind: "service",
    offerId: claimed[0]!.offerId,
    reverses: null,
    memo: null,
    postings: servicePostings(personAccount(personId), centreAccount(centre.code), minutes, claimed.length),
    by,
  });
  for (const s of claimed) await d.store.sessions.move(s.id, ["crediting"], "credited");
  if (created) await thankVolunteer(d, personId, minutes);
  return { personId, minutes, sessions: claimed.length, entryId: entry.id };
}

/** Sessions claimed for credit by an approval that did not finish (a crash): posted now, under the same key. */
export async function finishCrediting(d: ServiceDayDeps, olderThanMs = 5 * 60_000): Promise<number> {
  const stale = nowOf(d).getTime() - olderThanMs;
  const claimed = await d.store.sessions.list({ statuses: ["crediting"] }, 1000);
  const byKey = new Map<string, ServiceSession[]>();
  for (const s of claimed) {
    const at = Number(s.creditKey?.split(":")[1]);
    if (!s.creditKey || !(at < stale)) continue;
    byKey.set(s.creditKey, [...(byKey.get(s.creditKey) ?? []), s]);
  }
  let finished = 0;
  for (const [key, sessions] of byKey) {
    const centre = await d.store.centres.getCentre(sessions[0]!.centreCode);
    if (centre && (await postCredit(d, centre, sessions, key, sessions[0]!.creditedBy ?? "system"))) finished++;
  }
  return finished;
}
