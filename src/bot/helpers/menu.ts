import { copyable } from "../../format.js";
import type { Person } from "../../store/port/index.js";
import type { BotContext, ConversationContext } from "../context.js";

/** The registered volunteer's menu. */
export function sendMenu(ctx: BotContext | ConversationContext, person: Pick<Person, "firstName" | "volunteerCode">) {
  return ctx.reply(
    ctx.t("menu.text", {
      name: person.firstName ?? ctx.t("start.friend"),
      code: copyable(person.volunteerCode),
    }),
    { reply_markup: { remove_keyboard: true } },
  );
}
