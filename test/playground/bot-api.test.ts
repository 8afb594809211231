import { Api, GrammyError, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startBotApiServer, type RunningBotApi } from "../../src/playground/bot-api/index.js";

const TG = "1:tg-token";
const BALE = "2:bale-token";

describe("local Bot-API-compatible server", () => {
  let server: RunningBotApi;
  let tg: Api;
  let bale: Api;
  const user = { id: 42, first_name: "Leila" };

  beforeAll(async () => {
    server = await startBotApiServer(createLogger("silent"));
    server.sim.addBot(TG, "telegram");
    server.sim.addBot(BALE, "bale");
    tg = new Api(TG, { apiRoot: server.apiRoot });
    bale = new Api(BALE, { apiRoot: server.apiRoot });
    server.sim.sendText(TG, user, "hi");
    server.sim.sendText(BALE, user, "hi");
  });
  afterAll(() => server.close());

  const fault = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(GrammyError);
      return { code: (e as GrammyError).error_code, description: (e as GrammyError).description };
    }
    throw new Error("expected a Bot API error");
  };

  it("answers getMe and refuses unknown tokens and methods with Telegram's shapes", async () => {
    expect(await tg.getMe()).toMatchObject({ id: 1, is_bot: true, username: "hamdel_telegram_bot" });
    expect(await fault(new Api("9:nope", { apiRoot: server.apiRoot }).getMe())).toEqual({
      code: 401,
      description: "Unauthorized",
    });
    const res = await fetch(`${server.apiRoot}/bot${TG}/noSuchMethod`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
  });

  it("long-polls getUpdates and forgets confirmed updates", async () => {
    const first = await tg.getUpdates({ timeout: 0 });
    expect(first.map((u) => u.message?.text)).toEqual(["hi"]);
    const waiting = tg.getUpdates({ offset: first[0]!.update_id + 1, timeout: 5 });
    setTimeout(() => server.sim.sendText(TG, user, "later"), 100);
    const next = await waiting;
    expect(next.map((u) => u.message?.text)).toEqual(["later"]);
    expect(server.sim.bot(TG).updates.map((u) => u.update_id)).toEqual([next[0]!.update_id]);
  });

  it("validates messages as Telegram does", async () => {
    expect(await fault(tg.sendMessage(999, "x"))).toEqual({ code: 400, description: "Bad Request: chat not found" });
    expect(await fault(tg.sendMessage(42, "a".repeat(4097)))).toEqual({
      code: 400,
      description: "Bad Request: message is too long",
    });
    expect(await fault(tg.sendMessage(42, "  "))).toEqual({
      code: 400,
      description: "Bad Request: message text is empty",
    });
    expect(
      await fault(
        tg.sendMessage(42, "x", {
          reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "d".repeat(65) }]] },
        }),
      ),
    ).toEqual({ code: 400, description: "Bad Request: BUTTON_DATA_INVALID" });
    const m = await tg.sendMessage(42, "سلام", {
      reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "ok" }]] },
    });
    expect(m).toMatchObject({ text: "سلام", chat: { id: 42 } });
  });

  it("edits, refuses a no-op edit, deletes; Bale answers edits with a stub", async () => {
    const m = await tg.sendMessage(42, "one");
    expect(await tg.editMessageText(42, m.message_id, "two")).toMatchObject({ text: "two" });
    expect((await fault(tg.editMessageText(42, m.message_id, "two"))).description).toContain("message is not modified");
    expect(await tg.deleteMessage(42, m.message_id)).toBe(true);
    expect((await fault(tg.editMessageText(42, m.message_id, "three"))).description).toContain(
      "message to edit not found",
    );
    const b = await bale.sendMessage(42, "یک");
    expect(await bale.editMessageText(42, b.message_id, "دو")).toBe(true);
  });

  it("answers a callback query once", async () => {
    const m = await tg.sendMessage(42, "pick", {
      reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "a" }]] },
    });
    const id = server.sim.press(TG, user, m.message_id, "a");
    expect(await tg.answerCallbackQuery(id, { text: "ok" })).toBe(true);
    expect((await fault(tg.answerCallbackQuery(id))).description).toContain("query ID is invalid");
  });

  it("takes photo and document uploads (multipart) and keeps their bytes", async () => {
    const png = Buffer.from("89504e470d0a1a0a", "hex");
    const photo = await tg.sendPhoto(42, new InputFile(png, "chart.png"), { caption: "نمودار" });
    expect(photo.photo?.length).toBeGreaterThan(0);
    expect(photo.caption).toBe("نمودار");
    const doc = await tg.sendDocument(42, new InputFile(Buffer.from("\uFEFFنام,تعداد\n"), "report.csv"));
    expect(doc.document).toMatchObject({ file_name: "report.csv" });
    const stored = server.sim.botMessages(TG, 42).find((x) => x.message_id === doc.message_id)!;
    expect(stored.file!.bytes.toString("utf8")).toContain("نام,تعداد");
    expect(server.sim.botMessages(TG, 42).find((x) => x.message_id === photo.message_id)!.file!.bytes).toEqual(png);
  });

  it("blocks getUpdates while a webhook is set; Bale refuses secret_token and allowed_updates", async () => {
    await tg.setWebhook("https://example.org/hook", { secret_token: "abcdefghijklmnop" });
    expect((await fault(tg.getUpdates())).code).toBe(409);
    await tg.deleteWebhook();
    expect(await fault(bale.setWebhook("https://example.org/hook", { secret_token: "abcdefghijklmnop" }))).toEqual({
      code: 400,
      description: "Bad Request: secret_token is not supported",
    });
    expect((await fault(bale.getUpdates({ allowed_updates: ["message"] }))).code).toBe(400);
    expect(await bale.setWebhook("https://example.org/hook/secret")).toBe(true);
    await bale.deleteWebhook();
  });

  it("answers 403 for a user who blocked the bot, and injected faults with retry_after", async () => {
    server.sim.setBlocked(TG, 42, true);
    expect(await fault(tg.sendMessage(42, "x"))).toEqual({
      code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    server.sim.setBlocked(TG, 42, false);
    const { ApiFault } = await import("../../src/playground/bot-api/errors.js");
    server.sim.failNext(
      TG,
      "sendChatAction",
      new ApiFault(429, "Too Many Requests: retry after 3", { retry_after: 3 }),
    );
    try {
      await tg.sendChatAction(42, "typing");
      expect.unreachable();
    } catch (e) {
      expect((e as GrammyError).parameters.retry_after).toBe(3);
    }
    expect(await tg.sendChatAction(42, "typing")).toBe(true);
  });
});
