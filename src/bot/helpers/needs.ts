import type { Result } from "../../domain/result.js";
import { firstWave, type Refusal } from "../../services/matching/index.js";
import type { Need } from "../../store/port/index.js";
import { num } from "../../format.js";
import type { BotContext, ConversationContext } from "../context.js";

/**
 * What a coordinator reads once a need is posted (from `/need`, or again from
 * `/needs`): how many volunteers heard of it, or why none have yet.
 */
export async function postedReply(
  ctx: BotContext | ConversationContext,
  outcome: Result<Need, Refusal>,
): Promise<string> {
  if (!outcome.ok) return ctx.t(outcome.error === "forbidden" ? "need.refused" : "need.invalid");
  const wave = await firstWave(ctx.deps.matching, outcome.value.id);
  return ctx.t(`need.${wave.outcome}`, { offers: num(ctx.lang, wave.offers) });
}
