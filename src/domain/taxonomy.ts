import { countyFactsOf, LEGACY_COUNTIES } from "./places/index.js";

/**
 * The taxonomies: provinces and counties, skills by category, centre kinds,
 * the roles each centre kind needs, and the week. Ids only; every label is in
 * `locales/*.json` under `taxonomy.*` (a county's, where the locale has none, is the dataset's). Ids are stored, so never rename one.
 */

/** The provinces' ids (stored: never rename one); their counties are the dataset's (`places/`). */
const PROVINCE_IDS = [
  "alborz",
  "ardabil",
  "azarbaijan_east",
  "azarbaijan_west",
  "bushehr",
  "chaharmahal",
  "fars",
  "gilan",
  "golestan",
  "hamadan",
  "hormozgan",
  "ilam",
  "isfahan",
  "kerman",
  "kermanshah",
  "khorasan_north",
  "khorasan_razavi",
  "khorasan_south",
  "khuzestan",
  "kohgiluyeh",
  "kurdistan",
  "lorestan",
  "markazi",
  "mazandaran",
  "qazvin",
  "qom",
  "semnan",
  "sistan_baluchestan",
  "tehran",
  "yazd",
  "zanjan",
] as const;

/** Each province and its counties, all of them, from the dataset (OpenStreetMap, `places/DATA.md`). */
export const PROVINCES: readonly { id: (typeof PROVINCE_IDS)[number]; counties: readonly string[] }[] =
  PROVINCE_IDS.map((id) => {
    const counties = countyFactsOf(id).map((c) => c.id);
    if (counties.length === 0) throw new Error(`the places dataset has no counties for province ${id}`);
    return { id, counties };
  });

/** Where the volunteer network started: listed first where a person picks a province. */
export const PILOT_PROVINCES = ["kermanshah", "khuzestan", "khorasan_south", "golestan"] as const;

export const SKILL_CATEGORIES = [
  { id: "children", skills: ["childcare", "infant_care", "storytelling"] },
  { id: "elderly", skills: ["elderly_care", "elderly_company", "alzheimers_support"] },
  { id: "disability", skills: ["disability_care", "autism_support", "rehab_assist"] },
  { id: "teaching", skills: ["tutoring", "literacy", "life_skills"] },
  { id: "health", skills: ["first_aid", "nursing", "counselling", "screening"] },
  { id: "legal", skills: ["legal_advice", "paperwork"] },
  { id: "technical", skills: ["computer", "repairs", "electrical"] },
  { id: "transport", skills: ["driving", "delivery"] },
  { id: "cooking_crafts", skills: ["cooking", "sewing", "handicrafts"] },
  { id: "media", skills: ["photography", "social_media", "fundraising", "event_planning"] },
  { id: "languages", skills: ["sign_language", "english", "arabic", "local_languages"] },
] as const satisfies readonly { id: string; skills: readonly string[] }[];

export const CENTRE_KINDS = [
  "positive_life",
  "infant_home",
  "elderly_care",
  "disability_care",
  "children_home",
  "counselling",
] as const;

/** Each role serves one kind of centre (e.g. a mother-helper serves infant homes). */
export const ROLES = [
  { id: "mother_helper", centreKind: "infant_home" },
  { id: "elderly_companion", centreKind: "elderly_care" },
  { id: "disability_helper", centreKind: "disability_care" },
  { id: "tutor", centreKind: "children_home" },
  { id: "neighbourhood_helper", centreKind: "positive_life" },
  { id: "counselling_aide", centreKind: "counselling" },
  { id: "campaign_volunteer", centreKind: "positive_life" },
] as const satisfies readonly { id: string; centreKind: CentreKind }[];

/**
 * The skills that suggest a role: choosing one pre-selects the role on the
 * next screen (a yes costs one tap; the person can still untick it).
 */
export const ROLE_SKILLS: Readonly<Record<(typeof ROLES)[number]["id"], readonly string[]>> = {
  mother_helper: ["infant_care", "childcare"],
  elderly_companion: ["elderly_care", "elderly_company", "alzheimers_support"],
  disability_helper: ["disability_care", "autism_support", "rehab_assist", "sign_language"],
  tutor: ["tutoring", "literacy", "life_skills", "storytelling"],
  neighbourhood_helper: ["delivery", "driving", "repairs"],
  counselling_aide: ["counselling"],
  campaign_volunteer: ["fundraising", "event_planning", "social_media", "photography"],
};

/** The roles a set of skills suggests, in the roles' order. */
export const suggestedRoles = (skills: readonly string[]) =>
  ROLES.filter((r) => ROLE_SKILLS[r.id].some((s) => skills.includes(s))).map((r) => r.id);

/** The Iranian week starts on Saturday. */
export const WEEKDAYS = ["sat", "sun", "mon", "tue", "wed", "thu", "fri"] as const;
export const DAY_PARTS = ["morning", "afternoon", "evening"] as const;
export const HOURS_PER_WEEK = [2, 4, 8, 12, 20] as const;

/** Common weekly patterns, one tap each on the availability screen (the grid is for anything else). */
export const AVAILABILITY_PRESETS = {
  weekday_mornings: ["sat", "sun", "mon", "tue", "wed"].map((d) => `${d}.morning`),
  afternoons: ["sat", "sun", "mon", "tue", "wed", "thu", "fri"].map((d) => `${d}.afternoon`),
  weekend: ["thu", "fri"].flatMap((d) => ["morning", "afternoon", "evening"].map((p) => `${d}.${p}`)),
} as const satisfies Record<string, readonly string[]>;
export type AvailabilityPreset = keyof typeof AVAILABILITY_PRESETS;
/**
 * A pattern by the name its buttons carry. `evenings` is how «عصرها» was sent
 * before it was renamed (it ticked the «شب» slots by mistake): a button
 * already in a chat still means what its label said.
 */
export const availabilityPreset = (name: string): AvailabilityPreset | undefined =>
  Object.hasOwn(AVAILABILITY_PRESETS, name)
    ? (name as AvailabilityPreset)
    : ({ evenings: "afternoons" } as Record<string, AvailabilityPreset>)[name];

export type ProvinceId = (typeof PROVINCE_IDS)[number];
export type SkillId = (typeof SKILL_CATEGORIES)[number]["skills"][number];
export type CentreKind = (typeof CENTRE_KINDS)[number];
export type RoleId = (typeof ROLES)[number]["id"];
export type Weekday = (typeof WEEKDAYS)[number];
export type DayPart = (typeof DAY_PARTS)[number];
/** A weekly slot, e.g. `sat.morning`. */
export type Slot = `${Weekday}.${DayPart}`;

const provinceIds = new Set<string>(PROVINCES.map((p) => p.id));
const skillIds = new Set<string>(SKILL_CATEGORIES.flatMap((c) => c.skills));
const roleIds = new Set<string>(ROLES.map((r) => r.id));

export const isProvince = (v: string): v is ProvinceId => provinceIds.has(v);
export const isSkill = (v: string): v is SkillId => skillIds.has(v);
export const isRole = (v: string): v is RoleId => roleIds.has(v);
export const isSlot = (v: string): v is Slot => {
  const [day, part] = v.split(".");
  return (WEEKDAYS as readonly string[]).includes(day ?? "") && (DAY_PARTS as readonly string[]).includes(part ?? "");
};

/** Every county of a province, as the dataset lists them (a person may still name one it lacks: it is kept as text). */
export const countiesOf = (province: string): readonly string[] =>
  PROVINCES.find((p) => p.id === province)?.counties ?? [];

/** A county id stored for this province: one of its counties, or a legacy id still readable (`kish`). */
export const isCountyOf = (province: string, county: string): boolean =>
  countiesOf(province).includes(county) || Object.hasOwn(LEGACY_COUNTIES[province] ?? {}, county);

export const centreKindOf = (role: RoleId): CentreKind => ROLES.find((r) => r.id === role)!.centreKind;
