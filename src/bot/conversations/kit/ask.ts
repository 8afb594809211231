import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import { recordSource as keepSource } from "../../../services/people.js";
import { parseDeepLink } from "../../../domain/deep-link.js";
import { knownSource } from "../../../services/sources.js";
import { afterWrongAnswer, endPolitely, keepUpdate } from "./limits.js";
import { UNKNOWN_MESSAGE_ID } from "../../../platforms/normalize.js";
import { stepData } from "../../../domain/callback-data.js";
import type { BotContext, ConversationContext, HamdelConversation } from "../../context.js";
import { echoOf } from "./keyboard.js";

/** A deep link opened mid-conversation still counts as the person's source (first one wins). */
async function recordSource(ctx: BotContext, payload: string): Promise<void> {
  const source = await knownSource(ctx.deps.store, payload);
  if (!source) return;
  const person =
    ctx.person ??
    (ctx.from
      ? await ctx.deps.store.people.findByIdentity({ platform: ctx.caps.platform, userId: String(ctx.from.id) })
      : null);
  if (person) await keepSource(ctx.deps.store, person.id, source);
}

/** What one step of a conversation decides about one update. */
export type Handled<T> =
  /** The step is answered. */
  | { type: "value"; value: T }
  /** The person asked to go one step back. */
  | { type: "back" }
  /** The answer is wrong: say why (a locale key), then wait for another. */
  | { type: "error"; key: string; params?: Record<string, unknown> }
  /** The step changed its own message (a toggle), or a label was pressed (`hint`: what to press instead): wait on. */
  | { type: "stay"; hint?: string }
  /** Show the prompt again, e.g. after switching to a sub-list. */
  | { type: "redraw" };

export type Answer<T> = { type: "value"; value: T } | { type: "back" };

/** An answer carried into another shape (a picker's id into a step's patch); back stays back. */
export const answered = async <T, U>(answer: Promise<Answer<T>>, into: (value: T) => U): Promise<Answer<U>> => {
  const a = await answer;
  return a.type === "value" ? { type: "value", value: into(a.value) } : a;
};

export interface Prompt {
  text: string;
  markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;
}

export interface StepIO<T> {
  /** The question, built afresh each time it is shown. */
  prompt(): Prompt;
  /**
   * Reads one update. `undefined` means it is the wrong kind of answer (a
   * sticker, a photo, text where a button is expected): the person is told
   * what kind of answer the step wants.
   */
  handle(u: ConversationContext, promptId: number): Promise<Handled<T> | undefined> | Handled<T> | undefined;
  /** What to say when the answer is the wrong kind. */
  expects: "buttons" | "text";
}

/**
 * Asks one question and waits until it is answered or the person goes back.
 * Handles what every step shares: /start shows the question again, other
 * commands pass through to the bot (the conversation stays), the back button
 * (inline, or the reply-keyboard text), buttons of older messages, and
 * wrong-kind answers. `/cancel` never reaches here: it is handled before.
 */
export async function ask<T>(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  io: StepIO<T>,
): Promise<Answer<T>> {
  const backText = ctx.t("common.back_button");
  // Answers this step could not use, in a row: a few re-ask the question, a few more end the conversation.
  let wrong = 0;
  /** Counts a wrong answer; true when the question should be asked again. */
  const wrongAnswer = async (u: ConversationContext): Promise<boolean> => {
    const next = afterWrongAnswer(++wrong);
    if (next === "end") await endPolitely(conversation, u);
    return next === "reprompt";
  };
  for (;;) {
    const { text, markup } = io.prompt();
    const sent = await ctx.reply(text, markup ? { reply_markup: markup } : {});
    /** What the message shows now (a redraw changes it). */
    let shown: Prompt = { text, ...(markup ? { markup } : {}) };
    /**
     * The step is answered: its buttons go, so that an old one is not pressed later (it would only get a toast); an
     * answer given by a button stays under the question («✓ ۱۳۶۸»). One call either way.
     */
    const answered = async <R extends { type: string }>(u: ConversationContext, r: R): Promise<R> => {
      const m = shown.markup;
      if (!m || !("inline_keyboard" in m)) return r;
      // The keyboard as pressed (a toggle edited it since it was sent), else as this step last drew it.
      const pressedOn = u.callbackQuery?.message?.reply_markup ?? m;
      const echo = r.type === "value" ? echoOf(pressedOn, u.callbackQuery?.data) : null;
      await (
        echo
          ? u.api.editMessageText(sent.chat.id, sent.message_id, `${shown.text}\n\n${echo}`)
          : u.api.editMessageReplyMarkup(sent.chat.id, sent.message_id)
      ).catch(() => undefined);
      return r;
    };
    for (;;) {
      const u = await conversation.wait();
      // Edits, membership changes (a block) and the like are not answers: let the bot handle them.
      if (!u.message && !u.callbackQuery) await conversation.skip({ next: true });
      const message = u.message;
      const start = message?.text ? /^\/start(?:@\w+)?(?:\s+(.*))?$/s.exec(message.text) : null;
      // Other commands pass through to the bot (the conversation stays).
      if (message?.text?.startsWith("/") && !start) await conversation.skip({ next: true });
      const query = u.callbackQuery;
      // Buttons of other features (an opt-out under a campaign message…) are not ours to answer.
      if (query && !stepData.parse(query.data)) await conversation.skip({ next: true });
      // From here on the update is kept in the conversation's state.
      await keepUpdate(conversation, u);
      if (start) {
        const payload = start[1]?.trim() ?? "";
        if (parseDeepLink(payload)) await conversation.external((o) => recordSource(o, payload));
        break;
      }
      if (message?.text === backText) return answered(u, { type: "back" });
      if (query) {
        // A press whose message the platform left out (Bale): taken as on this prompt; the step checks its data.
        if (query.message?.message_id === UNKNOWN_MESSAGE_ID && u.caps.callbackMessageOptional)
          query.message.message_id = sent.message_id;
        if (query.message?.message_id !== sent.message_id) {
          await u.answerCallbackQuery({ text: u.t("common.stale_button") });
          if (await wrongAnswer(u)) break;
          continue;
        }
        if (query.data && stepData.parse(query.data)?.kind === "back") {
          await u.answerCallbackQuery();
          return answered(u, { type: "back" });
        }
      }
      const result = await io.handle(u, sent.message_id);
      if (result === undefined || result.type === "error") {
        if (result?.type === "error") {
          if (query) await u.answerCallbackQuery({ text: u.t(result.key, result.params), show_alert: true });
          else await u.reply(u.t(result.key, result.params));
        } else if (query) await u.answerCallbackQuery({ text: u.t("common.invalid_button") });
        else {
          // The wrong kind of answer (a sticker, text where a button is wanted): the question again, below it, at
          // once; on a phone, the message "above" can be far up.
          await u.reply(u.t(io.expects === "buttons" ? "common.wrong_kind_buttons" : "common.wrong_kind_text"));
          await wrongAnswer(u);
          break;
        }
        // A few in a row: the question again, buttons and all; a few more: the conversation ends.
        if (await wrongAnswer(u)) break;
        continue;
      }
      wrong = 0;
      switch (result.type) {
        case "value":
        case "back":
          if (query) await u.answerCallbackQuery();
          return answered(u, result);
        case "stay":
          if (query) await u.answerCallbackQuery(result.hint ? { text: u.t(result.hint) } : undefined);
          continue;
        case "redraw": {
          const next = io.prompt();
          if (query && (!next.markup || "inline_keyboard" in next.markup)) {
            await u.answerCallbackQuery();
            await u.editMessageText(next.text, next.markup ? { reply_markup: next.markup } : {});
            shown = next;
            continue;
          }
          if (query) await u.answerCallbackQuery();
          break;
        }
      }
      break;
    }
  }
}
