import { Composer, InlineKeyboard } from "grammy";
import { ensurePerson } from "../../services/people.js";
import { isInvitePayload, typedInviteDigits } from "../../domain/invite.js";
import { formatJalaliDate } from "../../domain/jalali.js";
import { invitableRoles, redeemInvite, redeemInviteDigits, visibleInvites } from "../../services/invites.js";
import type { IdentityRef } from "../../store/port/index.js";
import { grantHandle, inviteHandle, revokeGrant, visibleGrants, withdrawInvite } from "../../services/roles.js";
import type { BotContext } from "../context.js";
import { senderActor } from "../helpers/roles.js";
import { inConversation } from "../helpers/conversation.js";
import { num } from "../../format.js";
import { senderIdentity } from "../helpers/identity.js";
import { actorLabel, scopeLabel } from "../../services/labels.js";

/** Invitations (`/invite`, and opening one), and `/roles`: list and revoke within one's scope. */
export const rolesFeature = new Composer<BotContext>();

/** `/start inv_…`: an invitation, handled before the ordinary start (it is not a registration source). */
rolesFeature.chatType("private").command("start", async (ctx, next) => {
  const payload = ctx.match.trim();
  if (!isInvitePayload(payload)) return next();
  const identity = senderIdentity(ctx);
  if (!identity) return;
  await ensurePerson(ctx.deps.store, identity);
  await answerRedemption(ctx, identity, await redeemInvite(ctx.deps.invites, payload, identity));
});

/** The invitation's twelve digits typed as a message (outside a conversation): redeemed as by the link. */
rolesFeature.chatType("private").on("message:text", async (ctx, next) => {
  const typed = typedInviteDigits(ctx.message.text);
  if (!typed) return next();
  const identity = senderIdentity(ctx);
  if (!identity) return;
  await ensurePerson(ctx.deps.store, identity);
  await answerRedemption(ctx, identity, await redeemInviteDigits(ctx.deps.invites, typed, identity));
});

/** What redeeming an invitation (by its link or its digits) says: the role given, or why not. */
async function answerRedemption(
  ctx: BotContext,
  identity: IdentityRef,
  r: Awaited<ReturnType<typeof redeemInviteDigits>>,
) {
  if (!r.ok) return ctx.reply(ctx.t(`roles.${r.error}`));
  await ctx.deps.menus.refresh(identity);
  await ctx.reply(
    ctx.t("roles.granted", {
      role: ctx.t(`roles.name.${r.value.role}`),
      scope: await scopeLabel(ctx.t, ctx.deps.store, r.value.role, r.value.scope),
    }),
  );
}

rolesFeature.chatType("private").command("invite", async (ctx) => {
  if (invitableRoles(await senderActor(ctx)).length === 0) return ctx.reply(ctx.t("roles.not_allowed"));
  if (inConversation(ctx)) return ctx.reply(ctx.t("common.busy"));
  await ctx.conversation.enter("invite");
});

rolesFeature.chatType("private").command("roles", async (ctx) => {
  const actor = await senderActor(ctx);
  if (invitableRoles(actor).length === 0) return ctx.reply(ctx.t("roles.not_allowed"));
  const grants = (await visibleGrants(ctx.deps.invites, actor)).slice(0, 30);
  const invites = (await visibleInvites(ctx.deps.invites, actor)).slice(0, 20);
  if (invites.length > 0) {
    const kb = new InlineKeyboard();
    const lines: string[] = [];
    for (const [i, invite] of invites.entries()) {
      const n = num(ctx.lang, i + 1);
      lines.push(
        ctx.t("roles.invite_line", {
          n,
          role: ctx.t(`roles.name.${invite.role}`),
          scope: await scopeLabel(ctx.t, ctx.deps.store, invite.role, invite.scope),
          by: await actorLabel(ctx.t, ctx.lang, ctx.deps.store, invite.createdBy),
          expires: formatJalaliDate(invite.expiresAt, ctx.lang, ctx.deps.timeZone),
        }),
      );
      kb.text(ctx.t("roles.invite_withdraw", { n }), `ri:${inviteHandle(invite)}`);
      if (i % 3 === 2) kb.row();
    }
    await ctx.reply(`${ctx.t("roles.invites_header")}\n\n${lines.join("\n")}`, { reply_markup: kb });
  }
  if (grants.length === 0) return ctx.reply(ctx.t("roles.list_empty"));
  const kb = new InlineKeyboard();
  const lines: string[] = [];
  for (const [i, g] of grants.entries()) {
    const n = num(ctx.lang, i + 1);
    lines.push(
      ctx.t("roles.list_line", {
        n,
        account: await actorLabel(ctx.t, ctx.lang, ctx.deps.store, `${g.platform}:${g.userId}`),
        role: ctx.t(`roles.name.${g.role}`),
        scope: await scopeLabel(ctx.t, ctx.deps.store, g.role, g.scope),
      }),
    );
    kb.text(ctx.t("roles.revoke", { n }), `rv:${grantHandle(g)}`);
    if (i % 3 === 2) kb.row();
  }
  await ctx.reply(`${ctx.t("roles.list_header")}\n\n${lines.join("\n")}`, { reply_markup: kb });
});

rolesFeature.callbackQuery(/^rv:/, async (ctx) => {
  const h = /^rv:([A-Za-z0-9_-]{12})$/.exec(ctx.callbackQuery.data)?.[1];
  if (!h) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  const r = await revokeGrant(
    { ...ctx.deps.invites, refreshMenu: (ref) => ctx.deps.menus.refresh(ref) },
    await senderActor(ctx),
    h,
  );
  await ctx.answerCallbackQuery({ text: ctx.t(r.ok ? "roles.revoked" : "roles.revoke_refused"), show_alert: !r.ok });
});

/** Withdraws an open invitation from `/roles`: only one the actor could have made themselves. */
rolesFeature.callbackQuery(/^ri:/, async (ctx) => {
  const h = /^ri:([A-Za-z0-9_-]{12})$/.exec(ctx.callbackQuery.data)?.[1];
  if (!h) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  const r = await withdrawInvite(ctx.deps.invites, await senderActor(ctx), h);
  await ctx.answerCallbackQuery({
    text: ctx.t(r.ok ? "roles.invite_withdrawn" : "roles.invite_withdraw_refused"),
    show_alert: !r.ok,
  });
});
