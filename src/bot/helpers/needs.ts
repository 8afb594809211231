import type { Result } from "../../domain/result.js";
import type { Actor } from "../../services/access.js";
import { inQuietHours, needWithOffers, type Refusal } from "../../services/matching/index.js";
import type { Need } from "../../store/port/index.js";
import { num } from "../../format.js";
import type { BotContext, ConversationContext } from "../context.js";

/**
 * What a coordinator reads once a need is posted (from `/need`, or again from
 * `/needs`): how many volunteers heard of it, as the console counts them, or
 * why none have yet.
 */
export async function postedReply(
  ctx: BotContext | ConversationContext,
  actor: Actor,
  outcome: Result<Need, Refusal>,
): Promise<string> {
  if (!outcome.ok) return ctx.t(outcome.error === "forbidden" ? "need.refused" : "need.invalid");
  if (inQuietHours(ctx.deps.matching)) return ctx.t("need.posted_quiet");
  const offers = (await needWithOffers(ctx.deps.matching, actor, outcome.value.id))?.offers.length ?? 0;
  return offers === 0 ? ctx.t("need.posted_none") : ctx.t("need.posted", { offers: num(ctx.lang, offers) });
}
