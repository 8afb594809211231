import { REGISTRATION_STEPS, type RegistrationStep } from "../../src/domain/registration.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import type { SimUser } from "../../src/playground/bot-api/index.js";
import type { Harness } from "./harness.js";

export const NID = "0012345679";
export const PHONE = "09121234567";

/**
 * One answer in a walk through the registration: typed text, buttons pressed
 * in order, a shared contact, or `null` for a step an earlier answer covered
 * (the name typed under the consent).
 */
export type WalkAnswer = string | { tap: string | string[] } | { contact: string } | null;

/** The registration's screens in order (the flow's own list); `summary` is the last, answered by the caller. */
type WalkStep = RegistrationStep;

/** A plain, valid answer to every step: typed where typing is allowed, one button where one is needed. */
const DEFAULTS: Record<Exclude<WalkStep, "summary">, WalkAnswer> = {
  consent: { tap: "r:consent:yes" },
  name: "Sara Karimi",
  phone: PHONE,
  national_id: NID,
  birth_year: "1370",
  gender: { tap: "r:g:female" },
  province: { tap: "r:p:golestan" },
  county: { tap: "r:c:gorgan" },
  neighbourhood: "محله",
  skills: { tap: ["r:s:childcare", "r:sd"] },
  roles: { tap: "r:rd" },
  availability: { tap: ["r:ag", "r:a:sat.morning", "r:h:2"] },
};

/**
 * Sends /start and answers every step before `until` (the defaults, or
 * `answers` where given); returns the bot's replies to the last answer, which
 * end with `until`'s question.
 */
export async function walk(
  h: Harness,
  platform: Platform,
  user: SimUser,
  until: WalkStep,
  answers: Partial<Record<WalkStep, WalkAnswer>> = {},
): Promise<string[]> {
  let last = await h.say(platform, user, "/start");
  for (const step of REGISTRATION_STEPS.slice(0, REGISTRATION_STEPS.indexOf(until))) {
    const answer = step in answers ? answers[step] : DEFAULTS[step as Exclude<WalkStep, "summary">];
    if (answer === null || answer === undefined) continue;
    if (typeof answer === "string") last = await h.say(platform, user, answer);
    else if ("contact" in answer) last = await h.contact(platform, user, answer.contact);
    else for (const data of [answer.tap].flat()) last = await h.tap(platform, user, data);
  }
  return last;
}

/**
 * The answers of `register`: the consent agreed, the name typed, a shared
 * contact, the birth year in two taps, the role its skill suggests, one slot.
 */
export const REGISTER_ANSWERS = (
  opts: { phone?: string; nid?: string } = {},
): Partial<Record<WalkStep, WalkAnswer>> => ({
  consent: { tap: "r:consent:yes" },
  name: "مریم احمدی",
  phone: { contact: opts.phone ?? "+98" + PHONE.slice(1) },
  national_id: opts.nid ?? NID,
  birth_year: { tap: ["r:dec:1360", "r:yr:1368"] },
  neighbourhood: "شهرك بهاران",
  skills: { tap: ["r:s:infant_care", "r:sd"] },
  // «مادریار» is ticked already: infant care suggests it.
  roles: { tap: "r:rd" },
  availability: { tap: ["r:ag", "r:a:sat.morning", "r:h:4"] },
});

/** Registers a user with taps wherever a button exists; returns the final messages (the last answer registers). */
export function register(h: Harness, platform: Platform, user: SimUser, opts: { phone?: string; nid?: string } = {}) {
  return walk(h, platform, user, "summary", REGISTER_ANSWERS(opts));
}
