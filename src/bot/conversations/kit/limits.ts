import type { ConversationContext, HamdelConversation } from "../../context.js";

/**
 * Bounds on what a conversation keeps. @grammyjs/conversations stores every
 * update a conversation waited for and replays them on the next one, so a
 * person who keeps sending junk inside a step would grow the stored state
 * (and each update's replay time) without end. So:
 * - a step re-asks its question, buttons and all, after a few answers it
 *   could not use, and after a few more ends the conversation politely
 *   (a registration keeps every answer already saved in its draft);
 * - a conversation waits for at most {@link MAX_UPDATES_PER_CONVERSATION}
 *   updates (a registration segment is one step; a broadcast's composer, a
 *   need's, a few dozen with every toggle);
 * - no text longer than {@link MAX_TEXT_LENGTH} reaches any conversation
 *   (Telegram's own limit for a message; Bale documents none).
 */
export const WRONG_ANSWERS_BEFORE_REPROMPT = 4;
export const WRONG_ANSWERS_BEFORE_END = 8;
export const MAX_UPDATES_PER_CONVERSATION = 150;
export const MAX_TEXT_LENGTH = 4096;

const waited = new WeakMap<HamdelConversation, number>();

/**
 * Counts an update the conversation keeps (call it after the checks that
 * `skip` an update: skipped ones are not stored). Past the cap, ends the
 * conversation politely. Deterministic on replay: the same updates are
 * counted in the same order.
 */
export async function keepUpdate(conversation: HamdelConversation, u: ConversationContext): Promise<void> {
  const n = (waited.get(conversation) ?? 0) + 1;
  waited.set(conversation, n);
  if (n > MAX_UPDATES_PER_CONVERSATION) await endPolitely(conversation, u);
}

/** What a wrong answer leads to: say why and wait, say why and ask again, or end. */
export function afterWrongAnswer(wrongInARow: number): "wait" | "reprompt" | "end" {
  if (wrongInARow >= WRONG_ANSWERS_BEFORE_END) return "end";
  return wrongInARow % WRONG_ANSWERS_BEFORE_REPROMPT === 0 ? "reprompt" : "wait";
}

/**
 * Tells the person the conversation stopped (and that a registration's saved
 * answers are kept), then ends it. A button press is answered by the caller.
 */
export async function endPolitely(conversation: HamdelConversation, u: ConversationContext): Promise<never> {
  await u.reply(u.t("conversation.too_many_tries"), { reply_markup: { remove_keyboard: true } });
  return conversation.halt();
}
