import { InlineKeyboard, Keyboard } from "grammy";
import { jalaliYear } from "../../../domain/jalali.js";
import type { RegistrationDraft, RegistrationStep } from "../../../domain/registration.js";
import {
  countiesOf,
  HOURS_PER_WEEK,
  isProvince,
  isRole,
  isSkill,
  isSlot,
  PROVINCES,
  ROLES,
  SKILL_CATEGORIES,
  AVAILABILITY_PRESETS,
  PILOT_PROVINCES,
  availabilityPreset,
  suggestedRoles,
  type AvailabilityPreset,
  type ProvinceId,
  type RoleId,
  type SkillId,
  type Slot,
} from "../../../domain/taxonomy.js";
import {
  birthYearRange,
  parseBirthYear,
  parseFullName,
  parseIranMobile,
  parseNationalId,
  parsePlaceName,
  inIran,
} from "../../../domain/validation.js";
import type { Result } from "../../../domain/result.js";
import type { NameSplit } from "../../../domain/names.js";
import * as registration from "../../../services/registration.js";
import { PLACES_ATTRIBUTION } from "../../../domain/places/index.js";
import { locate } from "../../../domain/places/locate.js";
import { resolveCounty } from "../../../domain/places/resolve.js";
import type { GeoPoint } from "../../../domain/person.js";
import { stepData } from "../../../domain/callback-data.js";
import type { ConversationContext, HamdelConversation } from "../../context.js";
import { byLabel, countyLabel, num } from "../../../format.js";
import {
  answered,
  ask,
  askMany,
  askOne,
  backRow,
  grid,
  inline,
  labelPressed,
  slotGrid,
  tick,
  toggle,
  type Answer,
  type Handled,
} from "../kit/index.js";

export type Patch = Partial<RegistrationDraft>;

/** Everything a step may need besides the context. */
export interface StepEnv {
  conversation: HamdelConversation;
  ctx: ConversationContext;
  personId: string;
  draft: RegistrationDraft;
  /** Where Back leads from the first screen of this step (false: hide it). */
  canGoBack: boolean;
}

const data = (u: ConversationContext, kind: string): string | undefined => {
  const parsed = stepData.parse(u.callbackQuery?.data);
  return parsed?.kind === kind ? parsed.value : undefined;
};

const withBack = (kb: InlineKeyboard, env: StepEnv) => backRow(kb, env.ctx, env.canGoBack);

/** `from`, `from + step`, … up to `to`. */
const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.max(0, Math.floor((to - from) / step) + 1) }, (_, i) => from + i * step);

const currentYear = async (env: StepEnv) => jalaliYear(new Date(await env.conversation.now()), env.ctx.deps.timeZone);

/** Applies a validation result: an error key prefixed for the locale, or the value. */
function validated<T>(r: Result<T>, params?: Record<string, unknown>): Handled<T> {
  return r.ok ? { type: "value", value: r.value } : { type: "error", key: `errors_input.${r.error}`, params };
}

/**
 * Consent and the first question in one message: typing one's name agrees
 * (the text says so) and answers it; «موافقم» agrees and asks the name next.
 */
export async function askConsent(env: StepEnv): Promise<Answer<Patch | "declined">> {
  const { ctx } = env;
  const cutting = nameCutter(ctx);
  return ask<Patch | "declined">(env.conversation, ctx, {
    expects: "text",
    prompt: () =>
      cutting.splits.length
        ? cutting.prompt()
        : {
            text: ctx.t("registration.consent"),
            markup: inline(
              new InlineKeyboard()
                .text(ctx.t("registration.consent_accept"), stepData.pack("consent", "yes"))
                .text(ctx.t("registration.consent_decline"), stepData.pack("consent", "no")),
            ),
          },
    handle: async (u) => {
      const consentTime = async () => new Date(await env.conversation.now()).toISOString();
      const cut = cutting.chosen(u);
      if (cut) return { type: "value", value: { consentAt: await consentTime(), ...cut } };
      const text = u.message?.text;
      if (text !== undefined) {
        const name = validated(parseFullName(text));
        if (name.type !== "value") return name;
        if (cutting.offer(name.value.splits)) return { type: "redraw" };
        return { type: "value", value: { consentAt: await consentTime(), ...nameOf(name.value) } };
      }
      const choice = data(u, "consent");
      if (choice === "no") return { type: "value", value: "declined" };
      if (choice !== "yes") return undefined;
      const at = new Date(await env.conversation.now()).toISOString();
      return { type: "value", value: { consentAt: at } };
    },
  });
}

export function askName(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  const cutting = nameCutter(ctx);
  return ask<Patch>(env.conversation, ctx, {
    expects: "text",
    prompt: () =>
      cutting.splits.length
        ? cutting.prompt()
        : { text: ctx.t("registration.name"), markup: inline(withBack(new InlineKeyboard(), env)) },
    handle: (u) => {
      const cut = cutting.chosen(u);
      if (cut) return { type: "value", value: cut };
      const text = u.message?.text;
      if (text === undefined) return undefined;
      const r = validated(parseFullName(text));
      if (r.type !== "value") return r;
      if (cutting.offer(r.value.splits)) return { type: "redraw" };
      return { type: "value", value: nameOf(r.value) };
    },
  });
}

/** A name's patch: the title kept apart (none given: a title given before goes). */
const nameOf = (n: NameSplit): Patch => ({ title: n.title ?? undefined, firstName: n.firstName, lastName: n.lastName });

/**
 * A name of three words or more: the ways to cut it, the likeliest first, one tap each («محمد رضا | کریمی» or
 * «محمد | رضا کریمی»); typing the name again is still an answer.
 */
function nameCutter(ctx: ConversationContext) {
  const state = { splits: [] as NameSplit[] };
  const label = (n: NameSplit) =>
    ctx.t("registration.name_cut", {
      first: n.title ? `${n.title} ${n.firstName}` : n.firstName,
      last: n.lastName,
    }) + (n.title ? ctx.t("registration.name_cut_title", { title: n.title }) : "");
  return {
    get splits() {
      return state.splits;
    },
    /** Offers the cuts of an ambiguous name; false when it is not (two words). */
    offer(splits: NameSplit[]) {
      state.splits = splits.slice(0, 4);
      return state.splits.length > 1;
    },
    prompt: () => ({
      text: ctx.t("registration.name_cut_question"),
      markup: inline(
        grid(new InlineKeyboard(), state.splits, 1, (n, i) => ({ label: label(n), data: stepData.pack("nm", i) })),
      ),
    }),
    /** The cut pressed, as a patch; undefined for anything else. */
    chosen(u: ConversationContext): Patch | undefined {
      const i = data(u, "nm");
      const n = i === undefined ? undefined : state.splits[Number(i)];
      if (!n) return undefined;
      state.splits = [];
      return nameOf(n);
    },
  };
}

export type PhoneAnswer = Patch & { linkTo?: { personId: string; platform: string } };

export function askPhone(env: StepEnv): Promise<Answer<PhoneAnswer>> {
  const { ctx } = env;
  const keyboard = () => {
    const kb = new Keyboard().requestContact(ctx.t("registration.phone_share"));
    if (env.canGoBack) kb.row().text(ctx.t("common.back_button"));
    return kb.resized().oneTime();
  };
  return ask<PhoneAnswer>(env.conversation, ctx, {
    expects: "text",
    prompt: () => ({ text: ctx.t("registration.phone"), markup: keyboard() }),
    handle: async (u) => {
      const contact = u.message?.contact;
      if (contact) {
        // Without user_id, the capability table's rule: not the sender's own, or theirs but unproven.
        const verified = contact.user_id !== undefined;
        if (verified ? contact.user_id !== u.from?.id : u.caps.contactWithoutUserId === "reject")
          return { type: "error", key: "registration.phone_not_own" };
        const r = parseIranMobile(contact.phone_number);
        if (!r.ok) return { type: "error", key: `errors_input.${r.error}` };
        const owner = await env.conversation.external((o) =>
          registration.phoneOwner(o.deps.store, env.personId, o.caps.platform, r.value, verified),
        );
        if (owner.type === "in_use")
          return {
            type: "error",
            key: verified ? "registration.phone_in_use_shared" : "registration.phone_in_use_typed",
          };
        const linkTo = owner.type === "link" ? { personId: owner.personId, platform: owner.platform } : undefined;
        return { type: "value", value: { phone: r.value, phoneVerified: verified, ...(linkTo ? { linkTo } : {}) } };
      }
      const text = u.message?.text;
      if (text === undefined) return undefined;
      const r = validated(parseIranMobile(text));
      if (r.type !== "value") return r;
      const owner = await env.conversation.external((o) =>
        registration.phoneOwner(o.deps.store, env.personId, o.caps.platform, r.value, false),
      );
      if (owner.type !== "free") return { type: "error", key: "registration.phone_in_use_typed" };
      return { type: "value", value: { phone: r.value, phoneVerified: false } };
    },
  });
}

export function askLink(env: StepEnv, platform: string): Promise<Answer<boolean>> {
  const { ctx } = env;
  return answered(
    askOne(env.conversation, ctx, {
      prompt: ctx.t("registration.link_offer", { platform: ctx.t(`platform_name.${platform}`) }),
      choices: [
        { id: "yes", label: ctx.t("registration.link_yes") },
        { id: "no", label: ctx.t("registration.link_no") },
      ],
      data: "link",
    }),
    (choice) => choice === "yes",
  );
}

export function askNationalId(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  return ask<Patch>(env.conversation, ctx, {
    expects: "text",
    prompt: () => ({ text: ctx.t("registration.national_id"), markup: inline(withBack(new InlineKeyboard(), env)) }),
    handle: async (u) => {
      const text = u.message?.text;
      if (text === undefined) return undefined;
      const r = parseNationalId(text);
      if (!r.ok) return { type: "error", key: `errors_input.${r.error}` };
      const free = await env.conversation.external((o) =>
        registration.nationalIdAvailable(o.deps.store, env.personId, r.value),
      );
      return free
        ? { type: "value", value: { nationalId: r.value } }
        : { type: "error", key: "registration.national_id_taken" };
    },
  });
}

/** Birth year in two taps (decade, then year) or one typed answer. */
export async function askBirthYear(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  const year = await currentYear(env);
  const { min, max } = birthYearRange(year);
  let decade: number | undefined;
  const typed = (u: ConversationContext): Handled<Patch> | undefined => {
    const text = u.message?.text;
    if (text === undefined) return undefined;
    const r = validated(parseBirthYear(text, year), { min: num(ctx.lang, min), max: num(ctx.lang, max) });
    return r.type === "value" ? { type: "value", value: { birthYear: r.value } } : r;
  };
  return ask<Patch>(env.conversation, ctx, {
    expects: "buttons",
    prompt: () => {
      if (decade === undefined) {
        const decades = range(Math.floor(min / 10) * 10, max, 10);
        const kb = grid(new InlineKeyboard(), decades, 3, (d) => ({
          // A decade cut to one year by the range is that year, not «۱۳۹۰ تا ۱۳۹۰».
          label:
            Math.max(d, min) === Math.min(d + 9, max)
              ? num(ctx.lang, Math.max(d, min))
              : ctx.t("registration.decade_label", {
                  from: num(ctx.lang, Math.max(d, min)),
                  to: num(ctx.lang, Math.min(d + 9, max)),
                }),
          data: stepData.pack("dec", d),
        }));
        return { text: ctx.t("registration.birth_decade"), markup: inline(withBack(kb, env)) };
      }
      const years = range(Math.max(decade, min), Math.min(decade + 9, max), 1);
      const kb = grid(new InlineKeyboard(), years, 5, (y) => ({
        label: num(ctx.lang, y),
        data: stepData.pack("yr", y),
      }));
      kb.row().text(ctx.t("common.back_button"), stepData.pack("dec", "up"));
      return { text: ctx.t("registration.birth_year"), markup: inline(kb) };
    },
    handle: (u) => {
      const d = data(u, "dec");
      if (d === "up") {
        decade = undefined;
        return { type: "redraw" };
      }
      if (d !== undefined) {
        const n = Number(d);
        if (!Number.isInteger(n) || n % 10 !== 0 || n + 9 < min || n > max) return undefined;
        decade = n;
        return { type: "redraw" };
      }
      const y = data(u, "yr");
      if (y !== undefined) {
        const r = parseBirthYear(y, year);
        return r.ok ? { type: "value", value: { birthYear: r.value } } : undefined;
      }
      return typed(u);
    },
  });
}

export function askGender(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  return answered(
    askOne(env.conversation, ctx, {
      prompt: ctx.t("registration.gender"),
      choices: [
        { id: "female", label: ctx.t("registration.gender_female") },
        { id: "male", label: ctx.t("registration.gender_male") },
      ] as const,
      columns: 2,
      data: "g",
      back: env.canGoBack,
    }),
    (gender) => ({ gender }),
  );
}

/**
 * The provinces in Persian order: the referring centre's province first, else the pilot provinces. Or a shared
 * location: its province and county (the places dataset's boundaries) are proposed, confirmed with one tap, and the
 * county question is then skipped.
 */
export async function askProvince(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  const referred = await env.conversation.external(async (o) => {
    const source = (await o.deps.store.people.get(env.personId))?.source;
    return source ? ((await o.deps.store.centres.getCentre(source))?.province ?? null) : null;
  });
  const first = new Set<string>(referred ? [referred] : PILOT_PROVINCES);
  const provinces = byLabel(
    ctx.lang,
    PROVINCES,
    (p) => ctx.t(`taxonomy.province.${p.id}`),
    (p) => first.has(p.id),
  );
  /** Where a shared location lies, until the person says yes or no. */
  let proposed: { province: ProvinceId; county: string; at: GeoPoint } | undefined;
  return ask<Patch>(env.conversation, ctx, {
    expects: "buttons",
    prompt: () => {
      if (proposed)
        return {
          text: ctx.t("registration.place_found", {
            province: ctx.t(`taxonomy.province.${proposed.province}`),
            county: countyLabel(ctx.t, proposed.province, proposed.county),
          }),
          markup: inline(
            new InlineKeyboard()
              .text(ctx.t("registration.place_found_yes"), stepData.pack("pl", "yes"))
              .row()
              .text(ctx.t("registration.place_found_no"), stepData.pack("pl", "no")),
          ),
        };
      const kb = grid(new InlineKeyboard(), provinces, 3, (p) => ({
        label: ctx.t(`taxonomy.province.${p.id}`),
        data: stepData.pack("p", p.id),
      }));
      kb.row().text(ctx.t("registration.place_by_location"), stepData.pack("ph"));
      return { text: ctx.t("registration.province"), markup: inline(withBack(kb, env)) };
    },
    handle: async (u) => {
      const shared = u.message?.location;
      if (shared) {
        if (!inIran(shared.latitude, shared.longitude)) return { type: "error", key: "registration.place_outside" };
        const found = locate(shared.latitude, shared.longitude);
        if (!found || !isProvince(found.province)) return { type: "error", key: "registration.place_not_found" };
        proposed = {
          province: found.province,
          county: found.county,
          at: { lat: shared.latitude, lon: shared.longitude },
        };
        await u.reply(u.t("registration.location_saved_short"), { reply_markup: { remove_keyboard: true } });
        return { type: "redraw" };
      }
      const choice = data(u, "pl");
      if (choice && proposed) {
        const place = proposed;
        proposed = undefined;
        if (choice === "no") return { type: "redraw" };
        return { type: "value", value: { province: place.province, county: place.county, location: place.at } };
      }
      const p = data(u, "p");
      if (u.callbackQuery && stepData.parse(u.callbackQuery.data)?.kind === "ph") {
        // A location can only be asked with a reply keyboard: one message, then the choice comes back here.
        await u.reply(u.t("registration.place_location_ask", { attribution: PLACES_ATTRIBUTION }), {
          reply_markup: new Keyboard().requestLocation(u.t("registration.location_share")).resized().oneTime(),
        });
        return { type: "stay" };
      }
      if (p === undefined || !isProvince(p)) return undefined;
      // A new province makes the old county meaningless.
      return { type: "value", value: p === env.draft.province ? { province: p } : { province: p, county: undefined } };
    },
  });
}

/** Counties per page: five rows of three fit a phone screen (Fars has 37). */
const COUNTIES_PER_PAGE = 15;

/**
 * Every county of the province, paged, or a typed name: found in the places dataset (spellings, aliases,
 * the locale's own label), a near miss offered to confirm with one tap, and free text kept only when nothing fits.
 */
export function askCounty(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  const province = env.draft.province!;
  const label = (c: string) => ctx.t(`taxonomy.county.${province}.${c}`);
  const counties = byLabel(ctx.lang, countiesOf(province), label);
  const pages = Math.ceil(counties.length / COUNTIES_PER_PAGE);
  let page = 0;
  let typing = false;
  /** A near miss of what was typed, until confirmed or refused. */
  let close: { county: string; typed: string } | undefined;
  return ask<Patch>(env.conversation, ctx, {
    expects: "buttons",
    prompt: () => {
      if (close)
        return {
          text: ctx.t("registration.county_close", { county: label(close.county) }),
          markup: inline(
            new InlineKeyboard()
              .text(
                ctx.t("registration.county_close_yes", { county: label(close.county) }),
                stepData.pack("c", close.county),
              )
              .row()
              .text(ctx.t("registration.county_close_no", { typed: close.typed }), stepData.pack("cx")),
          ),
        };
      if (typing)
        return { text: ctx.t("registration.county_type"), markup: inline(withBack(new InlineKeyboard(), env)) };
      const shown = counties.slice(page * COUNTIES_PER_PAGE, (page + 1) * COUNTIES_PER_PAGE);
      const kb = grid(new InlineKeyboard(), shown, 3, (c) => ({ label: label(c), data: stepData.pack("c", c) }));
      if (pages > 1) {
        kb.row();
        // One arrow for "next" everywhere: ◀, the way a right-to-left reader goes on.
        if (page > 0) kb.text(ctx.t("registration.page_previous"), stepData.pack("cp", page - 1));
        kb.text(`${num(ctx.lang, page + 1)}/${num(ctx.lang, pages)}`, stepData.pack("noop", "page"));
        if (page < pages - 1) kb.text(ctx.t("registration.page_next"), stepData.pack("cp", page + 1));
      }
      kb.row().text(ctx.t("registration.county_other"), stepData.pack("c", "*other"));
      const text =
        pages > 1
          ? ctx.t("registration.county_paged", { page: num(ctx.lang, page + 1), pages: num(ctx.lang, pages) })
          : ctx.t("registration.county");
      return { text, markup: inline(withBack(kb, env)) };
    },
    handle: (u) => {
      const parsed = stepData.parse(u.callbackQuery?.data);
      if (parsed?.kind === "noop") return labelPressed(parsed.value);
      if (parsed?.kind === "cp") {
        const p = Number(parsed.value);
        if (!Number.isInteger(p) || p < 0 || p >= pages) return undefined;
        page = p;
        return { type: "redraw" };
      }
      if (parsed?.kind === "cx" && close) {
        // Nothing in the list is what they meant: their own words are kept (coordinators see them to resolve).
        const typed = close.typed;
        close = undefined;
        return { type: "value", value: { county: typed } };
      }
      const c = parsed?.kind === "c" ? parsed.value : undefined;
      if (c === "*other") {
        typing = true;
        return { type: "redraw" };
      }
      if (c !== undefined)
        return countiesOf(province).includes(c) ? { type: "value", value: { county: c } } : undefined;
      const text = u.message?.text;
      if (text === undefined) return undefined;
      const r = validated(parsePlaceName(text));
      if (r.type !== "value") return r;
      // The locales' labels in both languages count as names («تالش», and the English a person may type).
      const labels = (county: string) => [label(county), u.deps.i18n.t("en")(`taxonomy.county.${province}.${county}`)];
      const match = resolveCounty(province, r.value, labels);
      if (match.kind === "exact") return { type: "value", value: { county: match.county } };
      if (match.kind === "close") {
        close = { county: match.county, typed: r.value };
        return { type: "redraw" };
      }
      return { type: "value", value: { county: r.value } };
    },
  });
}

export function askNeighbourhood(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  let location: RegistrationDraft["location"] = env.draft.location;
  return ask<Patch>(env.conversation, ctx, {
    expects: "text",
    prompt: () => {
      const kb = new Keyboard().requestLocation(ctx.t("registration.location_share"));
      if (env.canGoBack) kb.row().text(ctx.t("common.back_button"));
      return { text: ctx.t("registration.neighbourhood"), markup: kb.resized() };
    },
    handle: async (u) => {
      const shared = u.message?.location;
      if (shared) {
        if (!inIran(shared.latitude, shared.longitude)) return { type: "error", key: "registration.location_outside" };
        location = { lat: shared.latitude, lon: shared.longitude };
        await u.reply(u.t("registration.location_saved"));
        return { type: "stay" };
      }
      const text = u.message?.text;
      if (text === undefined) return undefined;
      const r = validated(parsePlaceName(text));
      return r.type === "value"
        ? { type: "value", value: { neighbourhood: r.value, ...(location ? { location } : {}) } }
        : r;
    },
  });
}

const PRESETS = Object.keys(AVAILABILITY_PRESETS) as AvailabilityPreset[];

/** Skill categories per page: three fit a phone screen. */
const SKILL_PAGES = [
  SKILL_CATEGORIES.slice(0, 3),
  SKILL_CATEGORIES.slice(3, 6),
  SKILL_CATEGORIES.slice(6, 9),
  SKILL_CATEGORIES.slice(9),
];

export function askSkills(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  let chosen: SkillId[] = [...(env.draft.skills ?? [])];
  let page = 0;
  const keyboard = () => {
    const kb = new InlineKeyboard();
    for (const category of SKILL_PAGES[page]!) {
      kb.text(`— ${ctx.t(`taxonomy.skill_category.${category.id}`)} —`, stepData.pack("noop", "category")).row();
      const skills = byLabel(ctx.lang, category.skills, (s) => ctx.t(`taxonomy.skill.${s}`));
      grid(kb, skills, 2, (s) => ({
        label: tick(chosen.includes(s), ctx.t(`taxonomy.skill.${s}`)),
        data: stepData.pack("s", s),
      })).row();
    }
    // One arrow for "next" everywhere: ◀, the way a right-to-left reader goes on.
    if (page > 0) kb.text(ctx.t("registration.page_previous"), stepData.pack("sp", page - 1));
    kb.text(`${num(ctx.lang, page + 1)}/${num(ctx.lang, SKILL_PAGES.length)}`, stepData.pack("noop", "page"));
    if (page < SKILL_PAGES.length - 1) kb.text(ctx.t("registration.page_next"), stepData.pack("sp", page + 1));
    kb.row().text(ctx.t("registration.done"), stepData.pack("sd"));
    return inline(withBack(kb, env));
  };
  const text = () =>
    ctx.t("registration.skills", { page: num(ctx.lang, page + 1), pages: num(ctx.lang, SKILL_PAGES.length) });
  return ask<Patch>(env.conversation, ctx, {
    expects: "buttons",
    prompt: () => ({ text: text(), markup: keyboard() }),
    handle: async (u) => {
      const parsed = stepData.parse(u.callbackQuery?.data);
      if (!parsed) return undefined;
      if (parsed.kind === "noop") return labelPressed(parsed.value);
      if (parsed.kind === "sd")
        return chosen.length > 0
          ? { type: "value", value: { skills: chosen } }
          : { type: "error", key: "common.skills_none" };
      if (parsed.kind === "sp") {
        const p = Number(parsed.value);
        if (!Number.isInteger(p) || p < 0 || p >= SKILL_PAGES.length) return undefined;
        page = p;
        await u.editMessageText(text(), { reply_markup: keyboard() });
        return { type: "stay" };
      }
      if (parsed.kind === "s" && parsed.value && isSkill(parsed.value)) {
        chosen = toggle(chosen, parsed.value);
        await u.editMessageReplyMarkup({ reply_markup: keyboard() });
        return { type: "stay" };
      }
      return undefined;
    },
  });
}

/** The roles, those the chosen skills suggest already ticked (the first time). */
export function askRoles(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  const initial = env.draft.roles ?? suggestedRoles(env.draft.skills ?? []);
  // Says the ticks are suggestions only when they are.
  const prompt =
    env.draft.roles === undefined && initial.length > 0 ? "registration.roles_suggested" : "registration.roles";
  const kindOf = new Map(ROLES.map((r) => [r.id, r.centreKind]));
  return answered(
    askMany<RoleId>(env.conversation, ctx, {
      prompt: ctx.t(prompt),
      items: ROLES.map((r) => r.id),
      label: (id) =>
        ctx.t("registration.role_label", {
          role: ctx.t(`taxonomy.role.${id}`),
          centre: ctx.t(`taxonomy.centre_kind.${kindOf.get(id)}`),
        }),
      valid: isRole,
      columns: 1,
      doneLabel: ctx.t("registration.done"),
      initial,
      back: env.canGoBack,
      data: { toggle: "r", done: "rd" },
    }),
    (roles) => ({ roles }),
  );
}

/**
 * When one is free: a few common patterns, one tap each (the weekday ×
 * part-of-day grid behind «خودم انتخاب می‌کنم», or when the slots fit no
 * pattern); choosing the weekly hours finishes the step.
 */
export function askAvailability(env: StepEnv): Promise<Answer<Patch>> {
  const { ctx } = env;
  let slots: Slot[] = [...(env.draft.availability?.slots ?? [])];
  const presetSlots = (p: AvailabilityPreset) => AVAILABILITY_PRESETS[p].filter(isSlot);
  const covers = (p: AvailabilityPreset) => presetSlots(p).every((s) => slots.includes(s));
  // The grid, for slots no pattern makes up.
  let custom = slots.some((s) => !PRESETS.some((p) => covers(p) && presetSlots(p).includes(s)));
  const keyboard = () => {
    const kb = new InlineKeyboard();
    if (custom) slotGrid(kb, ctx, slots);
    else {
      grid(kb, PRESETS, 1, (p) => ({
        label: tick(covers(p), ctx.t(`registration.preset.${p}`)),
        data: stepData.pack("ap", p),
      }));
      kb.row().text(ctx.t("registration.preset_custom"), stepData.pack("ag")).row();
    }
    kb.text(ctx.t("registration.hours_label"), stepData.pack("noop", "hours")).row();
    HOURS_PER_WEEK.forEach((h, i) => {
      const key = i === HOURS_PER_WEEK.length - 1 ? "registration.hours_max" : "registration.hours";
      kb.text(ctx.t(key, { n: num(ctx.lang, h) }), stepData.pack("h", h));
    });
    return inline(withBack(kb, env));
  };
  return ask<Patch>(env.conversation, ctx, {
    expects: "buttons",
    prompt: () => ({ text: ctx.t("registration.availability"), markup: keyboard() }),
    handle: async (u) => {
      const parsed = stepData.parse(u.callbackQuery?.data);
      if (parsed?.kind === "noop") return labelPressed(parsed.value);
      if (parsed?.kind === "a" && parsed.value && isSlot(parsed.value)) {
        slots = toggle(slots, parsed.value);
        await u.editMessageReplyMarkup({ reply_markup: keyboard() });
        return { type: "stay" };
      }
      const named = parsed?.kind === "ap" && parsed.value ? availabilityPreset(parsed.value) : undefined;
      if (named) {
        const preset = presetSlots(named);
        slots = covers(named)
          ? slots.filter((s) => !preset.includes(s))
          : [...slots, ...preset.filter((s) => !slots.includes(s))];
        await u.editMessageReplyMarkup({ reply_markup: keyboard() });
        return { type: "stay" };
      }
      if (parsed?.kind === "ag") {
        custom = true;
        await u.editMessageReplyMarkup({ reply_markup: keyboard() });
        return { type: "stay" };
      }
      if (parsed?.kind === "h") {
        const hours = Number(parsed.value);
        if (!(HOURS_PER_WEEK as readonly number[]).includes(hours)) return undefined;
        if (slots.length === 0) return { type: "error", key: "common.availability_none" };
        return { type: "value", value: { availability: { slots, hoursPerWeek: hours } } };
      }
      return undefined;
    },
  });
}

/** The data steps, by name, for the flow and for single-field edits. */
export const STEP_ASKERS = {
  name: askName,
  national_id: askNationalId,
  birth_year: askBirthYear,
  gender: askGender,
  province: askProvince,
  county: askCounty,
  neighbourhood: askNeighbourhood,
  skills: askSkills,
  roles: askRoles,
  availability: askAvailability,
} as const satisfies Partial<Record<RegistrationStep, (env: StepEnv) => Promise<Answer<Patch>>>>;
