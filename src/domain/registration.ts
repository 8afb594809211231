import type { Gender, GeoPoint } from "./person.js";
import type { ProvinceId, RoleId, SkillId, Slot } from "./taxonomy.js";

/**
 * A registration in progress. Saved (sealed) after every answer, so that no
 * answer is lost to a restart, a /cancel or a closed app.
 */
export interface RegistrationDraft {
  v: 1;
  consentAt?: string;
  /** A title kept apart from the first name («سید», «سیده»). */
  title?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  /** True when the number came from the platform's own contact button. */
  phoneVerified?: boolean;
  nationalId?: string;
  birthYear?: number;
  gender?: Gender;
  province?: ProvinceId;
  county?: string;
  neighbourhood?: string;
  location?: GeoPoint;
  skills?: SkillId[];
  roles?: RoleId[];
  availability?: Availability;
  notify?: NotifyPrefs;
}

export interface Availability {
  slots: Slot[];
  hoursPerWeek: number;
}

export interface NotifyPrefs {
  campaigns: boolean;
  matches: boolean;
}

export const REGISTRATION_STEPS = [
  "consent",
  "name",
  "phone",
  "national_id",
  "birth_year",
  "gender",
  "province",
  "county",
  "neighbourhood",
  "skills",
  "roles",
  "availability",
  "summary",
] as const;

export type RegistrationStep = (typeof REGISTRATION_STEPS)[number];

/** Steps a person may edit one by one (from the summary or /profile): all but consent and the summary. */
export type EditableStep = Exclude<RegistrationStep, "consent" | "summary">;
export const EDITABLE_STEPS: readonly EditableStep[] = REGISTRATION_STEPS.filter(
  (s): s is EditableStep => s !== "consent" && s !== "summary",
);

const answered: Record<RegistrationStep, (d: RegistrationDraft) => boolean> = {
  consent: (d) => !!d.consentAt,
  name: (d) => !!d.firstName && !!d.lastName,
  phone: (d) => !!d.phone,
  national_id: (d) => !!d.nationalId,
  birth_year: (d) => d.birthYear !== undefined,
  gender: (d) => !!d.gender,
  province: (d) => !!d.province,
  county: (d) => !!d.county,
  neighbourhood: (d) => !!d.neighbourhood,
  skills: (d) => (d.skills?.length ?? 0) > 0,
  roles: (d) => d.roles !== undefined,
  availability: (d) => (d.availability?.slots.length ?? 0) > 0,
  summary: () => false,
};

/** Where a registration resumes: the first step without an answer. */
export function firstMissingStep(draft: RegistrationDraft): RegistrationStep {
  return REGISTRATION_STEPS.find((s) => !answered[s](draft)) ?? "summary";
}

export function previousStep(step: RegistrationStep): RegistrationStep | undefined {
  const i = REGISTRATION_STEPS.indexOf(step);
  return i > 0 ? REGISTRATION_STEPS[i - 1] : undefined;
}

/** Whether every answer needed to register is present. */
export const isComplete = (draft: RegistrationDraft) => firstMissingStep(draft) === "summary";

export const DEFAULT_NOTIFY: NotifyPrefs = { campaigns: true, matches: true };
