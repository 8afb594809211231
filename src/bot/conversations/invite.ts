import { InlineKeyboard } from "grammy";
import { formatJalaliDate } from "../../domain/jalali.js";
import { groupedDigits } from "../../domain/invite.js";
import { byLabel, centreLabel, digits } from "../../format.js";
import { createInvite, inviteScopes } from "../../services/invites.js";
import type { CoordinatorRole } from "../../store/port/index.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { scopeLabel } from "../../services/labels.js";
import { askOne, AUTO, runSteps, type Step } from "./kit/index.js";

/**
 * `/invite`: an admin makes a one-time, expiring, signed invitation link for
 * a role in a scope within their own (a provincial admin: their province).
 */
export async function inviteConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  const ref = { platform: ctx.caps.platform, userId: String(ctx.from!.id) };
  const { store } = ctx.deps;
  const persian = <T extends { label: string }>(items: T[]) => byLabel(ctx.lang, items, (i) => i.label);
  const scopes = await conversation.external(async () => {
    const all = await inviteScopes(store, await ctx.deps.actors.of(ref));
    return {
      roles: all.roles,
      provincial_admin: persian(all.provinces.map((p) => ({ id: p, label: ctx.t(`taxonomy.province.${p}`) }))),
      centre_coordinator: persian(
        all.centres.map((c) => ({ id: c.id, label: centreLabel(ctx.t, c), province: c.province })),
      ),
      institution_operator: persian(all.institutions.map((i) => ({ id: i.id, label: i.name }))),
    };
  });
  if (scopes.roles.length === 0) {
    await ctx.reply(ctx.t("roles.not_allowed"));
    return;
  }
  let role: CoordinatorRole = scopes.roles[0]!;
  let scope = "*";
  /** Where the centres come from, when they lie in more than one province (a national admin: province, then centre). */
  let centreProvince: string | null = null;
  const centreProvinces = [...new Set(scopes.centre_coordinator.map((c) => c.province))];
  const steps: Step[] = [
    async () => {
      const a = await askOne(conversation, ctx, {
        prompt: ctx.t("roles.choose_role"),
        choices: scopes.roles.map((r) => ({ id: r, label: ctx.t(`roles.name.${r}`) })),
      });
      if (a.type === "value") role = a.value;
      return a;
    },
    async () => {
      centreProvince = null;
      if (role !== "centre_coordinator" || centreProvinces.length < 2) return AUTO;
      const a = await askOne(conversation, ctx, {
        prompt: ctx.t("roles.choose_centre_province"),
        choices: persian(centreProvinces.map((p) => ({ id: p, label: ctx.t(`taxonomy.province.${p}`) }))),
        columns: 3,
        back: true,
      });
      if (a.type === "value") centreProvince = a.value;
      return a;
    },
    async () => {
      if (role === "national_admin") {
        scope = "*";
        return AUTO;
      }
      const choices =
        role === "centre_coordinator" && centreProvince
          ? scopes.centre_coordinator.filter((c) => c.province === centreProvince)
          : scopes[role];
      if (choices.length === 0) {
        await ctx.reply(ctx.t("roles.none_in_scope"));
        return { type: "back" };
      }
      const prompt = {
        provincial_admin: "roles.choose_province",
        centre_coordinator: "roles.choose_centre",
        institution_operator: "roles.choose_institution",
      }[role];
      const a = await askOne(conversation, ctx, {
        prompt: ctx.t(prompt),
        choices,
        columns: role === "provincial_admin" ? 3 : 1,
        back: true,
      });
      if (a.type === "value") scope = a.value;
      return a;
    },
  ];
  await runSteps(steps);
  const result = await conversation.external(async () => {
    const actor = await ctx.deps.actors.of(ref);
    const r = await createInvite(ctx.deps.invites, actor, role, scope);
    return r.ok ? { ok: true as const, ...r.value, label: await scopeLabel(ctx.t, store, role, scope) } : r;
  });
  if (!result.ok) {
    await ctx.reply(ctx.t("roles.invite_refused"));
    return;
  }
  // A link on every running platform (Bale's first), whichever messenger the invited person has, and the code to
  // type where a link opens the bot without its payload.
  const links = await conversation.external((o) => o.deps.deepLinks(result.payload));
  const params = {
    role: ctx.t(`roles.name.${role}`),
    scope: result.label,
    expires: formatJalaliDate(new Date(result.expiresAt), ctx.lang, ctx.deps.timeZone),
    links: links.map((l) => `${ctx.t(`platform_name.${l.platform}`)}: ${l.url}`).join("\n"),
    digits: digits(ctx.lang, groupedDigits(result.digits)),
  };
  const keyboard = new InlineKeyboard();
  for (const l of links)
    keyboard.url(ctx.t("roles.invite_open_on", { platform: ctx.t(`platform_name.${l.platform}`) }), l.url).row();
  // The links travel in URL buttons too; where plain text is rendered as Markdown (Bale), only there, since their
  // underscores would not survive the text.
  await ctx.reply(
    ctx.t(ctx.caps.markdownInPlainText ? "roles.invite_created_button" : "roles.invite_created", params),
    { reply_markup: keyboard },
  );
}
