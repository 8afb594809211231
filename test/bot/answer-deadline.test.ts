import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { BotContext } from "../../src/bot/context.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CallbackAnswers } from "../../src/bot/middlewares/answer-callbacks.js";

const DEADLINE = 600;
const BOT_INFO = {
  id: 1,
  is_bot: true as const,
  first_name: "hamdel",
  username: "hamdel_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

/**
 * A bot with the answers' middleware in the order `create-bot.ts` uses (before the per-chat queue), whose
 * API calls are recorded with the (fake) time they were made. `handle` is the handler of every press.
 */
function pressBot(handle: (ctx: Context) => Promise<void>) {
  // Only `caps` and `t` of the context are read by the middleware; the rest of BotContext is not set here.
  const bot = new Bot<BotContext>("1:t", { botInfo: BOT_INFO });
  const answers = new CallbackAnswers(DEADLINE);
  const calls: { method: string; at: number; text?: string }[] = [];
  // The platform (innermost), then the tracker around it, as in `create-bot.ts`.
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, at: Date.now(), text: (payload as { text?: string }).text });
    return { ok: true, result: true } as never;
  });
  bot.api.config.use(answers.track);
  bot.use((ctx, next) => {
    Object.assign(ctx, { caps: { mustAnswerCallbacks: true }, t: (k: string) => k });
    return next();
  });
  bot.use(answers.middleware());
  bot.use(sequentialize((ctx) => String(ctx.chatId)));
  bot.on("message", () => new Promise((r) => setTimeout(r, 5000)));
  bot.on("callback_query", handle);
  let id = 1;
  const press = (): Update => ({
    update_id: id++,
    callback_query: {
      id: `q${id}`,
      from: { id: 7, is_bot: false, first_name: "م" },
      chat_instance: "c",
      data: "x",
      message: { message_id: 1, date: 0, chat: { id: 7, type: "private", first_name: "م" } },
    },
  });
  const text = (): Update => ({
    update_id: id++,
    message: {
      message_id: 2,
      date: 0,
      text: "سلام",
      from: { id: 7, is_bot: false, first_name: "م" },
      chat: { id: 7, type: "private", first_name: "م" },
    },
  });
  return { bot, calls, press, text, answers: () => calls.filter((c) => c.method === "answerCallbackQuery") };
}

describe("every button press answered at once", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("a handler whose replies wait for the send budget: the press is answered empty at the deadline, once", async () => {
    const b = pressBot(async (ctx) => {
      await new Promise((r) => setTimeout(r, 8000)); // its reply waits behind the budget
      await ctx.reply("done");
    });
    const done = b.bot.handleUpdate(b.press());
    await vi.advanceTimersByTimeAsync(DEADLINE);
    expect(b.answers()).toEqual([{ method: "answerCallbackQuery", at: DEADLINE, text: undefined }]);
    await vi.advanceTimersByTimeAsync(8000);
    await done;
    expect(b.answers()).toHaveLength(1);
  });

  it("a handler that answers in time keeps its toast, and nothing else is sent", async () => {
    const b = pressBot(async (ctx) => {
      await new Promise((r) => setTimeout(r, 100));
      await ctx.answerCallbackQuery({ text: "ثبت شد" });
      await new Promise((r) => setTimeout(r, 5000));
    });
    const done = b.bot.handleUpdate(b.press());
    await vi.advanceTimersByTimeAsync(6000);
    await done;
    expect(b.answers()).toEqual([{ method: "answerCallbackQuery", at: 100, text: "ثبت شد" }]);
  });

  it("a toast after the deadline still reaches the platform (a conversation must see its call made), after the empty answer", async () => {
    const b = pressBot(async (ctx) => {
      await new Promise((r) => setTimeout(r, 3000));
      // The platform refuses a second answer with 400; api-guards' ignoreExpiredCallbackAnswers takes it as done.
      await expect(ctx.answerCallbackQuery({ text: "دیر" })).resolves.toBe(true);
    });
    const done = b.bot.handleUpdate(b.press());
    await vi.advanceTimersByTimeAsync(4000);
    await done;
    expect(b.answers().map((a) => [a.at, a.text])).toEqual([
      [DEADLINE, undefined],
      [3000, "دیر"],
    ]);
  });

  it("a press waiting behind the same person's earlier update (the per-chat queue) is still answered at the deadline", async () => {
    const b = pressBot(async () => undefined);
    const first = b.bot.handleUpdate(b.text()); // handled for 5 s
    const second = b.bot.handleUpdate(b.press());
    await vi.advanceTimersByTimeAsync(DEADLINE);
    expect(b.answers().map((a) => a.at)).toEqual([DEADLINE]);
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([first, second]);
    expect(b.answers()).toHaveLength(1);
  });

  it("a quick handler that says nothing is answered as soon as it ends", async () => {
    const b = pressBot(async () => undefined);
    await b.bot.handleUpdate(b.press());
    expect(b.answers().map((a) => a.at)).toEqual([0]);
  });
});
