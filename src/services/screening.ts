import { fail, ok, type Result } from "../domain/result.js";
import { screeningData } from "../domain/callback-data.js";
import { UPCOMING_STATUSES } from "../domain/sessions.js";
import {
  DOCUMENT_FILES,
  EXPIRY_WARN_DAYS,
  requirementLabel,
  DOCUMENT_KINDS,
  isGatedRole,
  nextStep,
  ORIENTATIONS,
  passed,
  quizScore,
  requirementState,
  ROLE_SCREENING,
  roleScreening,
  type DocumentKind,
  type Orientation,
} from "../domain/screening.js";
import type { Language, Person, ScreeningCheck } from "../store/port/index.js";
import { num } from "../format.js";
import type { TFunction } from "../i18n.js";
import { audit, authorize, canActForInstitution, isOwnPerson, type Actor } from "./access.js";
import { homeInstitution } from "./matching/offers.js";
import { langOf, nowOf, pushToHolders, type MatchingDeps } from "./matching/deps.js";
import { pushToPerson } from "./broadcast.js";
import { formatJalaliDate } from "../domain/jalali.js";
import { ageOf } from "./matching/gate.js";

/**
 * Safeguarding in the services: where a volunteer stands for each gated role
 * they chose, the quiz scored here, a document received and routed to their
 * institution, the institution's decisions (each audited, never on one's own
 * checks), and the expiries' tick. Matching's gate is `matching/gate.ts`.
 */

const DAY = 86_400_000;

/** For each gated role the person chose: each requirement's state, whether they qualify, and their next step. */
export async function screeningOf(d: MatchingDeps, person: Person) {
  const now = nowOf(d);
  const checks = await d.store.screening.of(person.id);
  return person.roles.filter(isGatedRole).map((role) => {
    const s = roleScreening(role, checks, now, ageOf(person, now, d.timeZone));
    return { ...s, next: nextStep(s) };
  });
}

export type QuizRefusal = "not_needed" | "wait" | "invalid";

/**
 * Scores a quiz from the option indexes pressed; a pass is recorded as done
 * (no expiry), a fail as rejected, with its retake wait. Only a quiz one of
 * the person's roles asks for, and not during a wait.
 */
export async function takeQuiz(
  d: MatchingDeps,
  person: Person,
  orientation: Orientation,
  answers: readonly number[],
): Promise<Result<{ score: number; passed: boolean; of: number }, QuizRefusal>> {
  const key = `orientation:${orientation}` as const;
  const wanted = person.roles.some((r) => ROLE_SCREENING[r]?.requirements.some((q) => q.key === key));
  if (!wanted || !(orientation in ORIENTATIONS)) return fail("not_needed");
  if (answers.length !== ORIENTATIONS[orientation].questions) return fail("invalid");
  const now = nowOf(d);
  const state = requirementState({ key, kind: "orientation", orientation }, await d.store.screening.of(person.id), now);
  if (state.state === "done") return fail("not_needed");
  if (state.state === "missing" && state.retryAt) return fail("wait");
  const score = quizScore(orientation, answers);
  const ok_ = passed(orientation, score);
  await d.store.screening.record({
    personId: person.id,
    requirement: key,
    status: ok_ ? "approved" : "rejected",
    score,
    createdAt: now,
  });
  return ok({ score, passed: ok_, of: ORIENTATIONS[orientation].questions });
}

export type DocumentRefusal = "not_needed" | "type" | "size" | "no_institution";

/**
 * A document the volunteer sent (a photo or a PDF, already downloaded):
 * checked for its type and size, kept sealed, and routed to their
 * institution's operators, who are told at once.
 */
export async function submitDocument(
  d: MatchingDeps,
  person: Person,
  kind: DocumentKind,
  file: { mime: string; bytes: Buffer },
): Promise<Result<ScreeningCheck, DocumentRefusal>> {
  const key = `document:${kind}` as const;
  if (
    !(kind in DOCUMENT_KINDS) ||
    !person.roles.some((r) => ROLE_SCREENING[r]?.requirements.some((q) => q.key === key))
  )
    return fail("not_needed");
  if (!(DOCUMENT_FILES.mimes as readonly string[]).includes(file.mime)) return fail("type");
  if (file.bytes.length === 0 || file.bytes.length > DOCUMENT_FILES.maxBytes) return fail("size");
  const institution = await homeInstitution(d.store, person);
  if (!institution) return fail("no_institution");
  const check = await d.store.screening.record({
    personId: person.id,
    requirement: key,
    status: "pending",
    institutionCode: institution,
    file,
    createdAt: nowOf(d),
  });
  await pushToHolders(d, "institution_operator", institution, (t) => ({
    text: t("screening.review_push", { what: t(requirementLabel(key)), code: person.volunteerCode ?? "—" }),
    buttons: [[{ text: t("screening.review_open"), data: screeningData.pack("v", check.id) }]],
  }));
  return ok(check);
}

export type DecisionRefusal = "not_found" | "forbidden" | "own" | "state" | "invalid";

/**
 * An institution's operator decides a pending document: approved with an
 * expiry (the document's default validity when none is given), or rejected
 * with a reason. Never their own; audited either way; the volunteer is told.
 */
export async function decideCheck(
  d: MatchingDeps,
  actor: Actor,
  checkId: string,
  decision: { approve: boolean; reason: string | null; expiresAt: Date | null },
): Promise<Result<ScreeningCheck, DecisionRefusal>> {
  const check = checkId.length <= 64 ? await d.store.screening.get(checkId) : null;
  if (!check || !check.institutionCode) return fail("not_found");
  const attempt = { actor: actor.id, action: "screening.decide", scope: check.institutionCode, target: check.id };
  if (!(await authorize(d.store, d.logger, canActForInstitution(actor, check.institutionCode), attempt)))
    return fail("forbidden");
  if (await isOwnPerson(d.store, actor, check.personId)) {
    await audit(d.store, d.logger, { ...attempt, outcome: "refused", details: { own: true } });
    return fail("own");
  }
  const now = nowOf(d);
  if (!decision.approve && !(DOCUMENT_REJECT_REASONS as readonly (string | null)[]).includes(decision.reason))
    return fail("invalid");
  const kind = check.requirement.startsWith("document:") ? (check.requirement.slice(9) as DocumentKind) : null;
  const expiresAt =
    decision.expiresAt ?? (decision.approve && kind ? new Date(+now + DOCUMENT_KINDS[kind].validDays * DAY) : null);
  if (expiresAt && expiresAt <= now) return fail("invalid");
  const decided = await d.store.screening.decide(check.id, {
    approve: decision.approve,
    by: actor.id,
    reason: decision.reason,
    expiresAt,
    at: now,
  });
  await audit(d.store, d.logger, {
    ...attempt,
    outcome: decided ? "ok" : "refused",
    details: { approve: decision.approve },
  });
  if (!decided) return fail("state");
  await tellVolunteer(d, decided);
  return ok(decided);
}

/** A decision or a record reaches the volunteer in their chat, in their language. */
async function tellVolunteer(d: MatchingDeps, check: ScreeningCheck): Promise<void> {
  const person = await d.store.people.get(check.personId);
  if (!person) return;
  const lang = langOf(person);
  const t = d.i18n.t(lang);
  const what = t(requirementLabel(check.requirement));
  const text =
    check.status === "rejected" && check.reason === "not_passed"
      ? t("screening.told_not_passed", { what })
      : check.status === "rejected"
        ? t("screening.told_rejected", { what, reason: t(`screening.reject_reason.${check.reason ?? "other"}`) })
        : check.expiresAt
          ? t("screening.told_approved", { what, date: formatJalaliDate(check.expiresAt, lang, d.timeZone) })
          : t("screening.told_recorded", { what });
  await pushToPerson(d.store, person, text);
}

/** Why a reviewer rejects a document: what the volunteer is told (`screening.reject_reason.*`). */
export const DOCUMENT_REJECT_REASONS = ["unreadable", "expired", "wrong", "other"] as const;

/**
 * A reviewer opens a document: only an operator of the institution it went
 * to, each opening audited (a read of the most sensitive data). The file
 * comes with it while it is kept.
 */
export async function openCheck(
  d: MatchingDeps,
  actor: Actor,
  checkId: string,
): Promise<
  Result<
    { check: ScreeningCheck; person: Person; file: { mime: string; bytes: Buffer } | null },
    "not_found" | "forbidden"
  >
> {
  const check = checkId.length <= 64 ? await d.store.screening.get(checkId) : null;
  const person = check && (await d.store.people.get(check.personId));
  if (!check?.institutionCode || !person) return fail("not_found");
  const attempt = { actor: actor.id, action: "screening.view", scope: check.institutionCode, target: check.id };
  if (!(await authorize(d.store, d.logger, canActForInstitution(actor, check.institutionCode), attempt)))
    return fail("forbidden");
  await audit(d.store, d.logger, { ...attempt, outcome: "ok" });
  return ok({ check, person, file: await d.store.screening.file(check.id) });
}

/**
 * What an institution records itself about a person: an interview held, or
 * its sign-off. Only the operators of the person's own institution, never on
 * themselves; audited.
 */
export async function recordByInstitution(
  d: MatchingDeps,
  actor: Actor,
  person: Person,
  requirement: "interview" | "signoff",
  note: string | null,
  /** An interview the institution did not pass: recorded as rejected, the volunteer told to ask the institution. */
  passed = true,
): Promise<Result<ScreeningCheck, DecisionRefusal>> {
  const institution = await homeInstitution(d.store, person);
  if (!institution) return fail("not_found");
  const attempt = { actor: actor.id, action: `screening.${requirement}`, scope: institution, target: person.id };
  if (!(await authorize(d.store, d.logger, canActForInstitution(actor, institution), attempt)))
    return fail("forbidden");
  if (await isOwnPerson(d.store, actor, person.id)) {
    await audit(d.store, d.logger, { ...attempt, outcome: "refused", details: { own: true } });
    return fail("own");
  }
  const check = await d.store.screening.record({
    personId: person.id,
    requirement,
    status: passed ? "approved" : "rejected",
    institutionCode: institution,
    decidedBy: actor.id,
    reason: passed ? note : "not_passed",
    createdAt: nowOf(d),
  });
  await audit(d.store, d.logger, { ...attempt, outcome: "ok", details: { passed } });
  await tellVolunteer(d, check);
  return ok(check);
}

/** How long a reviewed document's file is kept (the decision stays): long enough to look again at a dispute. */
export const DOCUMENT_FILE_DAYS = 30;

/**
 * Safeguarding's periodic work, safe on every worker (each step claims what
 * it sends): a volunteer is warned 30 and 7 days before a check expires;
 * once it has, they are told their role is paused (not removed) until they
 * renew, and the centres of their sessions already booked in that role hear
 * of it; reviewed documents' files are dropped after {@link DOCUMENT_FILE_DAYS}.
 */
export async function screeningTick(
  d: MatchingDeps,
): Promise<{ warned: number; expired: number; dropped: number; reminded: number; raised: number }> {
  const now = nowOf(d);
  const chased = await chaseReviews(d);
  let warned = 0;
  // The nearer warning first: a check already inside it is claimed for the farther one too, but told once.
  const nearest = Math.min(...EXPIRY_WARN_DAYS);
  for (const days of [...EXPIRY_WARN_DAYS].sort((a, b) => a - b))
    for (const check of await d.store.screening.claimExpiryWarnings(now, new Date(+now + days * DAY), days)) {
      if (days !== nearest && +check.expiresAt! - +now <= nearest * DAY) continue;
      await tellExpiry(d, check, "screening.told_expiring");
      warned++;
    }
  // Expired within the last month and not yet told (0: the expiry itself).
  const expired = await d.store.screening.claimExpiryWarnings(new Date(+now - 30 * DAY), now, 0);
  for (const check of expired) {
    await tellExpiry(d, check, "screening.told_expired");
    await flagBookedSessions(d, check);
  }
  const dropped = await d.store.screening.dropFiles(new Date(+now - DOCUMENT_FILE_DAYS * DAY));
  if (warned + expired.length + dropped > 0)
    d.logger.info({ warned, expired: expired.length, dropped }, "screening tick");
  return { warned, expired: expired.length, dropped, ...chased };
}

/**
 * Documents nobody has reviewed, chased as introductions are (the same
 * APPROVAL_REMIND_HOURS and APPROVAL_RAISE_HOURS): after the first, the
 * institution's operators are reminded (once, with the button to open it);
 * after the second, the province's admins are told that it waits (once).
 * Each message is claimed in the store first, so two workers send it once.
 */
async function chaseReviews(d: MatchingDeps): Promise<{ reminded: number; raised: number }> {
  const chased = { reminded: 0, raised: 0 };
  const rules = d.approvalHandoff;
  if (!rules) return chased;
  const now = nowOf(d);
  const institutions = await d.store.centres.listInstitutions();
  if (institutions.length === 0) return chased;
  const keep = new Date(+now + 30 * DAY);
  for (const check of await d.store.screening.pending(
    institutions.map((i) => i.code),
    500,
  )) {
    const waited = +now - +check.createdAt;
    const due = (hours: number) => waited >= hours * 3_600_000;
    if (!due(rules.remindHours) || !check.institutionCode) continue;
    const claim = (kind: string) => d.store.access.claimOnce(`screening.${kind}:${check.id}`, keep, now);
    const kind = due(rules.raiseHours) && (await claim("raise")) ? "raise" : (await claim("remind")) ? "remind" : null;
    if (!kind) continue;
    const person = await d.store.people.get(check.personId);
    const institution = institutions.find((i) => i.code === check.institutionCode)!;
    const words = (t: TFunction, lang: Language) => ({
      what: t(requirementLabel(check.requirement)),
      code: person?.volunteerCode ?? "—",
      hours: num(lang, Math.floor(waited / 3_600_000)),
      institution: institution.name,
    });
    if (kind === "raise") {
      await pushToHolders(d, "provincial_admin", institution.province, (t, lang) => ({
        text: t("screening.review_raised", words(t, lang)),
      }));
      chased.raised++;
    } else {
      await pushToHolders(d, "institution_operator", institution.code, (t, lang) => ({
        text: t("screening.review_reminder", words(t, lang)),
        buttons: [[{ text: t("screening.review_open"), data: screeningData.pack("v", check.id) }]],
      }));
      chased.reminded++;
    }
  }
  return chased;
}

/** The gated roles a requirement belongs to, among a person's. */
const rolesNeeding = (person: Person, requirement: string) =>
  person.roles.filter((r) => ROLE_SCREENING[r]?.requirements.some((q) => q.key === requirement));

async function tellExpiry(d: MatchingDeps, check: ScreeningCheck, key: string): Promise<void> {
  const person = await d.store.people.get(check.personId);
  if (!person || !check.expiresAt) return;
  const lang = langOf(person);
  const t = d.i18n.t(lang);
  const roles = rolesNeeding(person, check.requirement).map((r) => t(`taxonomy.role.${r}`));
  await pushToPerson(
    d.store,
    person,
    t(key, {
      what: t(requirementLabel(check.requirement)),
      date: formatJalaliDate(check.expiresAt, lang, d.timeZone),
      roles: roles.join(t("common.list_separator")),
    }),
  );
}

/** The sessions ahead of a person whose check for their role has expired: each centre's coordinators are told. */
async function flagBookedSessions(d: MatchingDeps, check: ScreeningCheck): Promise<void> {
  const person = await d.store.people.get(check.personId);
  if (!person) return;
  const sessions = await d.store.sessions.list(
    { personId: person.id, statuses: [...UPCOMING_STATUSES], startsFrom: nowOf(d) },
    20,
  );
  for (const s of sessions) {
    const need = await d.store.needs.get(s.needId);
    if (!need?.role || !ROLE_SCREENING[need.role]?.requirements.some((q) => q.key === check.requirement)) continue;
    const centre = await d.store.centres.getCentre(s.centreCode);
    await pushToHolders(d, "centre_coordinator", s.centreCode, (t, lang) => ({
      text: t("screening.centre_flag", {
        what: t(requirementLabel(check.requirement)),
        code: person.volunteerCode ?? "—",
        when: formatJalaliDate(s.startsAt, lang, d.timeZone),
        centre: centre?.name ?? s.centreCode,
      }),
    }));
  }
}

/** A candidate's standing for a gated role, in a line: qualified (`screening.qualified`), or what they lack. */
export function gapsText(t: TFunction, gaps: readonly string[]): string {
  if (gaps.length === 0) return t("screening.qualified");
  return t("screening.lacks", {
    what: gaps
      .map((g) => (g === "age" ? t("screening.too_young") : t(requirementLabel(g))))
      .join(t("common.list_separator")),
  });
}
