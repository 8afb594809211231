/**
 * The taxonomies: provinces and counties, skills by category, centre kinds,
 * the roles each centre kind needs, and the week. Ids only; every label is in
 * `locales/*.json` under `taxonomy.*`. Ids are stored, so never rename one.
 */

export const PROVINCES = [
  { id: "alborz", counties: ["karaj", "fardis", "nazarabad", "savojbolagh", "eshtehard", "taleqan"] },
  { id: "ardabil", counties: ["ardabil", "parsabad", "meshginshahr", "khalkhal", "germi", "namin"] },
  { id: "azarbaijan_east", counties: ["tabriz", "maragheh", "marand", "ahar", "mianeh", "bonab", "sarab"] },
  { id: "azarbaijan_west", counties: ["urmia", "khoy", "miandoab", "mahabad", "bukan", "salmas", "naqadeh"] },
  { id: "bushehr", counties: ["bushehr", "bandar_genaveh", "dashtestan", "dashti", "kangan", "deylam"] },
  { id: "chaharmahal", counties: ["shahrekord", "borujen", "farsan", "lordegan", "ardal"] },
  { id: "fars", counties: ["shiraz", "marvdasht", "kazerun", "jahrom", "fasa", "lar", "darab", "abadeh"] },
  { id: "gilan", counties: ["rasht", "bandar_anzali", "lahijan", "langarud", "talesh", "astara", "rudsar"] },
  {
    id: "golestan",
    counties: [
      "gorgan",
      "gonbad",
      "aliabad",
      "bandar_torkaman",
      "azadshahr",
      "kordkuy",
      "minudasht",
      "aqqala",
      "kalaleh",
    ],
  },
  { id: "hamadan", counties: ["hamadan", "malayer", "nahavand", "tuyserkan", "asadabad", "kabudarahang"] },
  { id: "hormozgan", counties: ["bandar_abbas", "minab", "qeshm", "bandar_lengeh", "kish", "rudan"] },
  { id: "ilam", counties: ["ilam", "dehloran", "abdanan", "darreh_shahr", "mehran", "eyvan"] },
  {
    id: "isfahan",
    counties: ["isfahan", "kashan", "najafabad", "khomeini_shahr", "shahinshahr", "lenjan", "mobarakeh", "golpayegan"],
  },
  { id: "kerman", counties: ["kerman", "sirjan", "rafsanjan", "jiroft", "bam", "zarand", "shahr_babak"] },
  {
    id: "kermanshah",
    counties: [
      "kermanshah",
      "eslamabad",
      "harsin",
      "kangavar",
      "sonqor",
      "sarpol_zahab",
      "paveh",
      "qasr_shirin",
      "javanrud",
      "sahneh",
    ],
  },
  { id: "khorasan_north", counties: ["bojnurd", "shirvan", "esfarayen", "jajarm", "faruj", "maneh"] },
  {
    id: "khorasan_razavi",
    counties: ["mashhad", "neyshabur", "sabzevar", "torbat_heydarieh", "quchan", "kashmar", "torbat_jam", "gonabad"],
  },
  {
    id: "khorasan_south",
    counties: ["birjand", "qaen", "tabas", "ferdows", "nehbandan", "sarbisheh", "boshruyeh", "darmian"],
  },
  {
    id: "khuzestan",
    counties: [
      "ahvaz",
      "dezful",
      "abadan",
      "khorramshahr",
      "andimeshk",
      "behbahan",
      "mahshahr",
      "shushtar",
      "izeh",
      "masjed_soleyman",
      "shush",
    ],
  },
  { id: "kohgiluyeh", counties: ["boyer_ahmad", "kohgiluyeh", "gachsaran", "dena", "bahmai"] },
  { id: "kurdistan", counties: ["sanandaj", "saqqez", "marivan", "baneh", "qorveh", "bijar", "kamyaran"] },
  { id: "lorestan", counties: ["khorramabad", "borujerd", "dorud", "aligudarz", "kuhdasht", "azna", "nurabad"] },
  { id: "markazi", counties: ["arak", "saveh", "khomein", "mahallat", "delijan", "tafresh"] },
  {
    id: "mazandaran",
    counties: ["sari", "babol", "amol", "qaemshahr", "behshahr", "chalus", "tonekabon", "nowshahr", "babolsar", "neka"],
  },
  { id: "qazvin", counties: ["qazvin", "takestan", "buin_zahra", "abyek", "alborz_qz"] },
  { id: "qom", counties: ["qom"] },
  { id: "semnan", counties: ["semnan", "shahrud", "damghan", "garmsar", "mehdishahr"] },
  { id: "sistan_baluchestan", counties: ["zahedan", "zabol", "chabahar", "iranshahr", "saravan", "khash"] },
  {
    id: "tehran",
    counties: [
      "tehran",
      "shahriar",
      "eslamshahr",
      "rey",
      "varamin",
      "pakdasht",
      "qods",
      "malard",
      "robat_karim",
      "damavand",
      "shemiranat",
    ],
  },
  { id: "yazd", counties: ["yazd", "meybod", "ardakan", "taft", "mehriz", "bafq"] },
  { id: "zanjan", counties: ["zanjan", "abhar", "khodabandeh", "khorramdarreh", "tarom", "mahneshan"] },
] as const satisfies readonly { id: string; counties: readonly string[] }[];

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

export type ProvinceId = (typeof PROVINCES)[number]["id"];
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

/** The listed counties of a province (people may also name another). */
export const countiesOf = (province: string): readonly string[] =>
  PROVINCES.find((p) => p.id === province)?.counties ?? [];

export const centreKindOf = (role: RoleId): CentreKind => ROLES.find((r) => r.id === role)!.centreKind;
