import { isoDateIn } from "../../domain/jalali.js";
import { needLines, reviewingCentre, submitRequest, type RequestInput } from "../../services/matching/index.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { num } from "../../format.js";
import { actorOf } from "../helpers/roles.js";
import { askNotes, askOne, askSkillList, MAX_NOTES, runSteps, scheduleSteps, type Step } from "./kit/index.js";

/**
 * `/request`: a registered citizen asks for help from the time bank. The
 * request goes to a centre coordinator for review before anyone is matched.
 */
export async function requestConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  const person = await conversation.external((o) => o.person ?? null);
  if (!person?.registeredAt) {
    await ctx.reply(ctx.t("request.not_registered"));
    return;
  }
  const centre = await conversation.external(() => reviewingCentre(ctx.deps.store, person));
  if (!centre) {
    await ctx.reply(ctx.t("request.no_centre"));
    return;
  }
  const t = ctx.t;
  await ctx.reply(t("request.intro", { centre: centre.name }));
  const today = isoDateIn(new Date(await conversation.now()), ctx.deps.timeZone);
  const draft: Partial<RequestInput> = {};
  const steps: Step[] = [
    async (back) => {
      const a = await askSkillList(conversation, ctx, { prompt: t("request.ask_skills"), initial: draft.skills, back });
      if (a.type === "value") draft.skills = a.value;
      return a;
    },
    async () => {
      const a = await askOne(conversation, ctx, {
        prompt: t("need.ask_wanted", { max: num(ctx.lang, 3) }),
        choices: [1, 2, 3].map((n) => ({ id: String(n), label: num(ctx.lang, n) })),
        columns: 3,
        back: true,
      });
      if (a.type === "value") draft.wanted = Number(a.value);
      return a;
    },
    ...scheduleSteps(conversation, ctx, today, draft),
    async () => {
      const a = await askNotes(conversation, ctx, {
        prompt: t("request.ask_notes", { max: num(ctx.lang, MAX_NOTES) }),
        skipLabel: null,
      });
      if (a.type === "value") draft.notes = a.value;
      return a;
    },
    async () => {
      const input = draft as RequestInput;
      return askOne(conversation, ctx, {
        prompt: t("request.confirm", {
          need: needLines(t, ctx.lang, { ...input, role: null }, centre, ctx.deps.timeZone),
          wanted: num(ctx.lang, input.wanted),
        }),
        choices: [{ id: "submit", label: t("need.submit") }],
        back: true,
      });
    },
  ];
  await runSteps(steps);
  const result = await conversation.external(async (o) => {
    const fresh = await o.deps.store.people.get(person.id);
    return fresh ? submitRequest(o.deps.matching, fresh, actorOf(o), draft as RequestInput) : null;
  });
  if (!result?.ok) await ctx.reply(t(result?.error === "not_found" ? "request.no_centre" : "need.invalid"));
  else await ctx.reply(t("request.submitted"));
}
