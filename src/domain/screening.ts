/**
 * Safeguarding: what a volunteer must have done before a role puts them with
 * infants, children, people with disabilities or the elderly. Each gated role
 * names its requirements; a person's checks (a quiz passed, a document
 * approved, an interview and a sign-off recorded by their institution) meet
 * them until they expire. A role with no requirements is open to anyone who
 * chose it.
 */

/** The documents a requirement can ask for, each with how long an approval lasts by default. */
export const DOCUMENT_KINDS = {
  /** «گواهی عدم سوءپیشینه»: a year, as Behzisti's own volunteer rules renew it. */
  clearance: { validDays: 365 },
  /** «کارت بهداشت»: a year. */
  health_card: { validDays: 365 },
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

/** The short lessons with a quiz, each by the kind of care it prepares for. */
export const ORIENTATIONS = {
  infant_care: { questions: 4, passScore: 3, retakeHours: 24 },
  child_safety: { questions: 4, passScore: 3, retakeHours: 24 },
  disability_care: { questions: 4, passScore: 3, retakeHours: 24 },
} as const;
export type Orientation = keyof typeof ORIENTATIONS;

/** One requirement: its key (stored on each check) and what meets it. */
export type Requirement =
  | { key: `orientation:${Orientation}`; kind: "orientation"; orientation: Orientation }
  | { key: `document:${DocumentKind}`; kind: "document"; document: DocumentKind }
  | { key: "interview"; kind: "interview" }
  | { key: "signoff"; kind: "signoff" };

export const orientation = (o: Orientation): Requirement => ({
  key: `orientation:${o}`,
  kind: "orientation",
  orientation: o,
});
export const documentOf = (d: DocumentKind): Requirement => ({ key: `document:${d}`, kind: "document", document: d });
const INTERVIEW: Requirement = { key: "interview", kind: "interview" };
const SIGNOFF: Requirement = { key: "signoff", kind: "signoff" };

export interface RoleScreening {
  requirements: readonly Requirement[];
  /** The youngest a volunteer may be for this role (by birth year, in the Iranian year). */
  minAge: number;
}

/**
 * The defaults for the sensitive roles: nobody holds an infant, teaches a
 * child without guardians or helps a person with a disability before an
 * orientation, a clearance certificate, an interview and the institution's
 * sign-off. The roles not named here are open.
 */
export const ROLE_SCREENING: Readonly<Record<string, RoleScreening>> = {
  mother_helper: {
    requirements: [orientation("infant_care"), documentOf("clearance"), documentOf("health_card"), INTERVIEW, SIGNOFF],
    minAge: 18,
  },
  tutor: { requirements: [orientation("child_safety"), documentOf("clearance"), INTERVIEW, SIGNOFF], minAge: 18 },
  disability_helper: {
    requirements: [orientation("disability_care"), documentOf("clearance"), INTERVIEW, SIGNOFF],
    minAge: 18,
  },
  elderly_companion: { requirements: [documentOf("clearance"), SIGNOFF], minAge: 18 },
};

export const isGatedRole = (role: string) => (ROLE_SCREENING[role]?.requirements.length ?? 0) > 0;

/** What a requirement asks of whom: the volunteer does a quiz or sends a document; the institution the rest. */
export const doneByVolunteer = (r: Requirement) => r.kind === "orientation" || r.kind === "document";

export const CHECK_STATUSES = ["pending", "approved", "rejected"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** A check as the rules read it (the store's record carries more). */
export interface CheckFacts {
  requirement: string;
  status: CheckStatus;
  /** Why a rejection (a reviewer's reason key). */
  reason?: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  decidedAt: Date | null;
}

/** Where one requirement stands for a person. */
export type RequirementState =
  | { state: "done"; expiresAt: Date | null; expiresSoon: boolean }
  | { state: "waiting" }
  | { state: "missing"; rejected: boolean; expired: boolean; retryAt: Date | null; reason: string | null };

/** "Soon": the first reminder's distance from an expiry. */
export const EXPIRY_WARN_DAYS = [30, 7] as const;
const DAY = 86_400_000;

/**
 * One requirement's state from a person's checks (newest first wins): an
 * approval not yet expired is done; a pending one waits for a reviewer;
 * otherwise it is missing (rejected, expired, or never tried), and a failed
 * quiz may be retaken only after its wait.
 */
export function requirementState(r: Requirement, checks: readonly CheckFacts[], now: Date): RequirementState {
  const mine = checks.filter((c) => c.requirement === r.key).sort((a, b) => +b.createdAt - +a.createdAt);
  const valid = mine.find((c) => c.status === "approved" && (!c.expiresAt || c.expiresAt > now));
  if (valid)
    return {
      state: "done",
      expiresAt: valid.expiresAt,
      expiresSoon: !!valid.expiresAt && +valid.expiresAt - +now <= EXPIRY_WARN_DAYS[0] * DAY,
    };
  if (mine.some((c) => c.status === "pending")) return { state: "waiting" };
  const last = mine[0];
  const retryAt =
    r.kind === "orientation" && last?.status === "rejected"
      ? new Date(+last.createdAt + ORIENTATIONS[r.orientation].retakeHours * 3_600_000)
      : null;
  return {
    state: "missing",
    rejected: last?.status === "rejected",
    expired: last?.status === "approved",
    retryAt: retryAt && retryAt > now ? retryAt : null,
    reason: last?.status === "rejected" ? (last.reason ?? null) : null,
  };
}

/** Where each requirement of a role stands, and whether the person qualifies (every one done, old enough). */
export function roleScreening(
  role: string,
  checks: readonly CheckFacts[],
  now: Date,
  age: number | null,
): {
  role: string;
  states: { requirement: Requirement; state: RequirementState }[];
  oldEnough: boolean;
  qualified: boolean;
} {
  const rules = ROLE_SCREENING[role];
  const states = (rules?.requirements ?? []).map((requirement) => ({
    requirement,
    state: requirementState(requirement, checks, now),
  }));
  const oldEnough = !rules || (age !== null && age >= rules.minAge);
  return { role, states, oldEnough, qualified: oldEnough && states.every((s) => s.state.state === "done") };
}

/** The requirement a person would do next for a role: the first missing one they can do themselves, now. */
export function nextStep(
  screening: ReturnType<typeof roleScreening>,
): { requirement: Requirement; retryAt: Date | null } | null {
  for (const { requirement, state } of screening.states)
    if (state.state === "missing" && doneByVolunteer(requirement)) return { requirement, retryAt: state.retryAt };
  return null;
}

/**
 * Each quiz's right answers (an option's index per question; the words are in
 * the locales, `screening.quiz.<orientation>.q<n>`). Scored on the server from
 * the indexes pressed: a forged button can only be a wrong answer.
 */
export const QUIZ_KEYS: Readonly<Record<Orientation, readonly number[]>> = {
  infant_care: [1, 0, 2, 1],
  child_safety: [2, 1, 0, 1],
  disability_care: [0, 2, 1, 0],
};
/** How many options each question offers. */
export const QUIZ_OPTIONS = 3;

export function quizScore(o: Orientation, answers: readonly number[]): number {
  return QUIZ_KEYS[o].filter((right, i) => answers[i] === right).length;
}

export const passed = (o: Orientation, score: number) => score >= ORIENTATIONS[o].passScore;

/** The files a document may be: what both platforms' `getFile` serve, within our own cap. */
export const DOCUMENT_FILES = {
  mimes: ["image/jpeg", "image/png", "application/pdf"] as const,
  /**
   * 5 MB: a phone's photo or a scanned page, far below Bale's reported 20 MB
   * download cap and Telegram's documented 20 MB; sealed at rest, so kept small.
   */
  maxBytes: 5 * 1024 * 1024,
};

/** A requirement's label in the locales (`screening.requirement.<kind>_<name>`: i18next reads «:» as a namespace). */
export const requirementLabel = (key: string) => `screening.requirement.${key.replace(":", "_")}`;
