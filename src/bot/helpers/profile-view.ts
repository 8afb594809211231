import { InlineKeyboard } from "grammy";
import { EDITABLE_STEPS } from "../../domain/registration.js";
import { copyable, profileLines } from "../../format.js";
import type { Person } from "../../store/port/index.js";
import { isGatedRole } from "../../domain/screening.js";
import { personToDraft } from "../../services/registration.js";
import { noticesData, profileData } from "../../domain/callback-data.js";
import type { BotContext, ConversationContext } from "../context.js";
import { grid } from "../conversations/kit/keyboard.js";

/** A registered person's profile as lines (personal data masked), with a button to edit each field. */
export function profileView(ctx: BotContext | ConversationContext, person: Person) {
  const lines = [...profileLines(ctx.t, ctx.lang, personToDraft(person), false)];
  lines.push(`${ctx.t("field.code")}: ${copyable(person.volunteerCode)}`);
  lines.push(
    `${ctx.t("field.notify")}: ${ctx.t(person.notify.campaigns || person.notify.matches ? "common.on" : "common.off")}`,
  );
  // A sensitive role asks for checks first: where they stand is one command away.
  if (person.roles.some(isGatedRole)) lines.push(ctx.t("profile.checks_hint"));
  const on = person.notify.campaigns || person.notify.matches;
  const keyboard = grid(new InlineKeyboard(), EDITABLE_STEPS, 3, (step) => ({
    label: `✏️ ${ctx.t(`field.${step}`)}`,
    data: profileData.pack(step),
  }))
    .row()
    // Notices on or off from here too (as /stop and /resume do).
    .text(ctx.t(on ? "profile.notices_off" : "profile.notices_on"), noticesData.pack(!on));
  return { body: lines.join("\n"), keyboard };
}
