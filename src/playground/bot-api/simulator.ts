import { EventEmitter } from "node:events";
import { capabilitiesOf, type Platform } from "../../platforms/capabilities.js";
import { isBudgeted } from "../../delivery/budget/http-client.js";
import { ApiFault, badRequest, forbidden, tooManyRequests } from "./errors.js";
import { botCommands, type BotCommandEntity, type CommandRule } from "./entities.js";

/**
 * An in-memory messenger that speaks the Bot API: the bot side calls methods
 * (`call`), simulated people act on the user side (`sendText`, `press`…),
 * and both see one consistent set of chats. Used by the playground and by
 * end-to-end tests; the bot reaches it only through its API root. Each bot
 * impersonates its platform's quirks as the capability table states them.
 */

export interface SimUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type Params = Record<string, unknown>;

export interface SimMessage {
  message_id: number;
  from: { id: number; is_bot: boolean; first_name: string; username?: string };
  chat: { id: number; type: "private"; first_name: string };
  date: number;
  text?: string;
  caption?: string;
  photo?: { file_id: string; file_unique_id: string; width: number; height: number; file_size?: number }[];
  document?: { file_id: string; file_unique_id: string; file_name?: string; mime_type?: string; file_size?: number };
  /** Bale's persona sends the number as a JSON number (the capability table's `contactPhone`). */
  contact?: { phone_number: string | number; first_name: string; user_id?: number };
  location?: { latitude: number; longitude: number };
  reply_markup?: unknown;
  /** The commands the platform finds in the text (its `commandRule`), as the Bot API returns them. */
  entities?: BotCommandEntity[];
  edit_date?: number;
  /** Simulator bookkeeping, not part of the Bot API shape. */
  deleted?: boolean;
  /** Uploaded file content, kept so the web page can show it. */
  file?: { bytes: Buffer; mime: string; name: string };
}

export interface SimBot {
  token: string;
  platform: Platform;
  user: { id: number; is_bot: true; first_name: string; username: string };
  updates: { update_id: number; [k: string]: unknown }[];
  nextUpdateId: number;
  webhook: { url: string; secret?: string } | null;
  /** The command menus set, by `<scope>|<language_code>` (scope `default`, `chat:<id>`, or its type). */
  commands: Map<string, { command: string; description: string }[]>;
  /** Faults to answer instead of the next calls of a method (tests); a number stalls that many ms first. */
  faults: Map<string, (ApiFault | { stallMs: number })[]>;
  callbackAnswers: Map<string, Params>;
  /** A revoked token: every call is refused as the platform refuses a bad token. */
  revoked: boolean;
  /**
   * Departures from the capability table, to play a platform that behaves
   * otherwise than the table says (platform-check's own test).
   */
  quirks: { badTokenStatus?: number; commandMenu?: boolean; commandRule?: CommandRule };
  /** When each message call was accepted (ms): what the platform saw of the bot's sending rate. */
  sentAt: number[];
  /** A total rate enforced on the bot's message calls (see {@link BotApiSimulator.limitRate}). */
  limit: { perSecond: number; retryAfter: number } | null;
  /** 429s answered by that limit. */
  limited: number;
}

/** The most of `times` (ms, ascending) that fall within any window of `ms`. */
export function densestWindow(times: readonly number[], ms = 1000): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

interface Chat {
  user: SimUser;
  messages: SimMessage[];
  blocked: boolean;
}

const now = () => Math.floor(Date.now() / 1000);
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

export class BotApiSimulator extends EventEmitter {
  readonly bots = new Map<string, SimBot>();
  /** Chats by bot token, then by user id (private chats only). */
  readonly chats = new Map<string, Map<number, Chat>>();
  /** Every method call the bots made, in order (tests read it). */
  readonly calls: { token: string; method: string; params: Params }[] = [];
  #nextMessageId = 1;
  /** Files people sent the bots (a photo's largest size, a document), by file id: what `getFile` and `/file/` serve. */
  readonly #userFiles = new Map<string, { token: string; bytes: Buffer; mime: string }>();
  #nextCallbackId = 1;

  /** The chats and their messages (files left out), to keep across a restart. */
  snapshot(): { token: string; chats: { user: SimUser; messages: SimMessage[]; blocked: boolean }[] }[] {
    return [...this.chats].map(([token, chats]) => ({
      token,
      chats: [...chats.values()].map((c) => ({
        user: c.user,
        blocked: c.blocked,
        messages: c.messages.map(({ file: _file, ...m }) => m as SimMessage),
      })),
    }));
  }

  /** Brings back a snapshot's chats for the bots already added; new messages are numbered after them. */
  restore(snapshot: ReturnType<BotApiSimulator["snapshot"]>): void {
    for (const { token, chats } of snapshot) {
      const mine = this.chats.get(token);
      if (!mine) continue;
      for (const c of chats) {
        mine.set(c.user.id, { user: c.user, messages: c.messages, blocked: c.blocked });
        for (const m of c.messages) this.#nextMessageId = Math.max(this.#nextMessageId, m.message_id + 1);
      }
    }
  }

  addBot(token: string, platform: Platform, username = `hamdel_${platform}_bot`): SimBot {
    const id = Number(token.split(":")[0]) || 1000 + this.bots.size;
    const bot: SimBot = {
      token,
      platform,
      user: { id, is_bot: true, first_name: "Hamdel", username },
      updates: [],
      // Like the platforms, ids keep growing across restarts (de-duplication remembers them for a day).
      nextUpdateId: (Math.floor(Date.now() / 1000) % 100_000_000) * 10 + 1,
      webhook: null,
      commands: new Map(),
      faults: new Map(),
      callbackAnswers: new Map(),
      revoked: false,
      quirks: {},
      sentAt: [],
      limit: null,
      limited: 0,
    };
    this.bots.set(token, bot);
    this.chats.set(token, new Map());
    return bot;
  }

  bot(token: string): SimBot {
    const bot = this.bots.get(token);
    if (!bot) throw new ApiFault(401, "Unauthorized");
    return bot;
  }

  /**
   * Enforces a total rate on the bot's message calls, as the platform does
   * for one token: a call that would make more than `perSecond` in the last
   * second is answered 429 with `retry_after`.
   */
  limitRate(token: string, perSecond: number, retryAfter = 1): void {
    this.bot(token).limit = { perSecond, retryAfter };
  }

  /** Makes the next `count` calls of `method` fail with `fault`. */
  failNext(token: string, method: string, fault: ApiFault, count = 1): void {
    const list = this.bot(token).faults.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(fault);
    this.bot(token).faults.set(method, list);
  }

  /**
   * Makes the next `count` calls of `method` hang for `ms` without effect (a
   * platform that does not answer), then fail with 504 if anyone still waits.
   */
  stallNext(token: string, method: string, ms: number, count = 1): void {
    const list = this.bot(token).faults.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push({ stallMs: ms });
    this.bot(token).faults.set(method, list);
  }

  /** Revokes (or restores) a bot's token: Telegram answers 401, Bale 403 (as bale-mcp saw it live). */
  setRevoked(token: string, revoked: boolean): void {
    this.bot(token).revoked = revoked;
  }

  /** How the platform refuses a bad token: Telegram 401 Unauthorized, Bale 403 Forbidden. */
  #badToken(bot: SimBot): ApiFault {
    const status = bot.quirks.badTokenStatus ?? (bot.platform === "bale" ? 403 : 401);
    return new ApiFault(status, status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "Not Found");
  }

  /** A token nobody has: refused as the platform of the bot with that id (its number before the colon) would. */
  #unknownToken(token: string): ApiFault {
    const id = token.split(":")[0];
    const sibling = [...this.bots.values()].find((b) => b.token.split(":")[0] === id);
    return sibling ? this.#badToken(sibling) : new ApiFault(401, "Unauthorized");
  }

  /** Marks a user as having blocked the bot: sends to them answer 403. */
  setBlocked(token: string, userId: number, blocked: boolean): void {
    const chat = this.chats.get(token)?.get(userId);
    if (chat) chat.blocked = blocked;
  }

  history(token: string, userId: number): SimMessage[] {
    return this.chats.get(token)?.get(userId)?.messages ?? [];
  }

  /** Messages the bot sent to a user that are still visible. */
  botMessages(token: string, userId: number): SimMessage[] {
    return this.history(token, userId).filter((m) => m.from.is_bot && !m.deleted);
  }

  // ── the user side ────────────────────────────────────────────────────────

  /** Opens a private chat as if the user had pressed Start, without sending an update. */
  openChat(token: string, user: SimUser): void {
    this.#chat(token, user);
  }

  sendText(token: string, user: SimUser, text: string): SimMessage {
    const entities = text.startsWith("/")
      ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }]
      : undefined;
    return this.#userMessage(token, user, { text, ...(entities ? { entities } : {}) });
  }

  /**
   * Shares a contact: the user's own unless `ownerId` says otherwise; `null`
   * leaves `user_id` out. On a platform whose table says numbers may arrive as
   * JSON numbers (Bale), the number is sent as one.
   */
  sendContact(token: string, user: SimUser, phone: string, ownerId: number | null = user.id): SimMessage {
    const numeric = capabilitiesOf(this.bot(token).platform).contactPhone === "string-or-number";
    const digits = phone.replace(/\D/g, "");
    return this.#userMessage(token, user, {
      contact: {
        phone_number: numeric && digits !== "" ? Number(digits) : phone,
        first_name: user.first_name,
        ...(ownerId === null ? {} : { user_id: ownerId }),
      },
    });
  }

  sendLocation(token: string, user: SimUser, latitude: number, longitude: number): SimMessage {
    return this.#userMessage(token, user, { location: { latitude, longitude } });
  }

  /**
   * The user sends a photo (already uploaded: only its file id travels); with
   * `bytes`, the bot can fetch it (`getFile`, then `/file/bot<token>/<path>`).
   */
  sendPhoto(token: string, user: SimUser, fileId = `photo_${this.#nextMessageId}`, bytes?: Buffer): SimMessage {
    if (bytes) this.#userFiles.set(fileId, { token, bytes, mime: "image/jpeg" });
    return this.#userMessage(token, user, {
      photo: [
        { file_id: `${fileId}_small`, file_unique_id: `${fileId}_s`, width: 90, height: 90 },
        { file_id: fileId, file_unique_id: fileId, width: 1280, height: 960 },
      ],
    });
  }

  /** The user sends a file as a document (a PDF, a scan), which the bot can fetch as a photo's. */
  sendDocument(token: string, user: SimUser, file: { bytes: Buffer; mime: string; name: string }): SimMessage {
    const fileId = `doc_${this.#nextMessageId}`;
    this.#userFiles.set(fileId, { token, bytes: file.bytes, mime: file.mime });
    return this.#userMessage(token, user, {
      document: {
        file_id: fileId,
        file_unique_id: fileId,
        file_name: file.name,
        mime_type: file.mime,
        file_size: file.bytes.length,
      },
    });
  }

  /**
   * A file a person sent, as `/file/bot<token>/<file_path>` serves it: only
   * to the bot it was sent to. Both platforms are reported to serve files
   * this way (Telegram documents it; Balethon and python-bale-bot read
   * `tapi.bale.ai/file/bot<token>/<path>`).
   */
  fileAt(token: string, path: string): Buffer | undefined {
    const id = /^(?:photos|documents)\/(.+)$/.exec(path)?.[1];
    const file = id ? this.#userFiles.get(id) : undefined;
    return file && file.token === token ? file.bytes : undefined;
  }

  sendSticker(token: string, user: SimUser): SimMessage {
    return this.#userMessage(token, user, {
      sticker: {
        file_id: "sticker",
        file_unique_id: "sticker",
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
    });
  }

  /** Presses an inline button (by its callback data) under a bot message. */
  press(token: string, user: SimUser, messageId: number, data: string): string {
    const chat = this.#chat(token, user);
    const message = chat.messages.find((m) => m.message_id === messageId);
    if (!message) throw new Error(`no message ${messageId} in the chat`);
    const id = String(this.#nextCallbackId++);
    this.#enqueue(token, {
      callback_query: {
        id,
        from: this.#from(user),
        message: this.#public(message),
        chat_instance: String(user.id),
        data,
      },
    });
    return id;
  }

  #userMessage(token: string, user: SimUser, body: Params): SimMessage {
    const chat = this.#chat(token, user);
    const message = {
      message_id: this.#nextMessageId++,
      from: this.#from(user),
      chat: { id: user.id, type: "private" as const, first_name: user.first_name },
      date: now(),
      ...body,
    } as SimMessage;
    chat.messages.push(message);
    this.emit("message", { token, userId: user.id, message });
    this.#enqueue(token, { message });
    return message;
  }

  #from(user: SimUser) {
    return { ...user, is_bot: false };
  }

  #chat(token: string, user: SimUser): Chat {
    const chats = this.chats.get(token);
    if (!chats) throw new ApiFault(401, "Unauthorized");
    let chat = chats.get(user.id);
    if (!chat) chats.set(user.id, (chat = { user, messages: [], blocked: false }));
    chat.user = user;
    return chat;
  }

  #enqueue(token: string, body: Params): void {
    const bot = this.bot(token);
    const update = { update_id: bot.nextUpdateId++, ...body };
    bot.updates.push(update);
    this.emit("update", { token, update });
  }

  // ── the bot side ─────────────────────────────────────────────────────────

  /** Runs one Bot API method; throws {@link ApiFault} with Telegram's error shapes. */
  async call(
    token: string,
    method: string,
    params: Params,
    files: Map<string, { bytes: Buffer; mime: string; name: string }>,
  ) {
    const known = this.bots.get(token);
    if (!known) throw this.#unknownToken(token);
    const bot = known;
    this.calls.push({ token, method, params });
    if (bot.revoked) throw this.#badToken(bot);
    const fault = bot.faults.get(method)?.shift();
    if (fault instanceof ApiFault) throw fault;
    if (isBudgeted(method)) {
      const t = Date.now();
      if (bot.limit) {
        const recent = bot.sentAt;
        let inWindow = 0;
        for (let i = recent.length - 1; i >= 0 && t - recent[i]! < 1000; i--) inWindow++;
        if (inWindow >= bot.limit.perSecond) {
          bot.limited++;
          throw tooManyRequests(bot.limit.retryAfter);
        }
      }
      bot.sentAt.push(t);
    }
    if (fault) {
      await new Promise((r) => setTimeout(r, fault.stallMs));
      throw new ApiFault(504, "Gateway Timeout");
    }
    switch (method) {
      case "getMe":
        return {
          ...bot.user,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: capabilitiesOf(bot.platform).inlineMode,
        };
      case "getUpdates":
        return this.#getUpdates(bot, params);
      case "setWebhook":
        return this.#setWebhook(bot, params);
      case "deleteWebhook":
        bot.webhook = null;
        if (params.drop_pending_updates) bot.updates.length = 0;
        return true;
      case "getWebhookInfo":
        return { url: bot.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: bot.updates.length };
      case "setMyCommands":
        // Bale has no command menu (not among its official methods): the method is not found.
        if (!(bot.quirks.commandMenu ?? capabilitiesOf(bot.platform).commandMenu))
          throw new ApiFault(404, "Not Found: method not found");
        bot.commands.set(
          this.#menuKey(bot, params),
          parseJson(params.commands, "commands") as { command: string; description: string }[],
        );
        return true;
      case "deleteMyCommands":
        if (!(bot.quirks.commandMenu ?? capabilitiesOf(bot.platform).commandMenu))
          throw new ApiFault(404, "Not Found: method not found");
        bot.commands.delete(this.#menuKey(bot, params));
        return true;
      case "getMyCommands":
        if (!(bot.quirks.commandMenu ?? capabilitiesOf(bot.platform).commandMenu))
          throw new ApiFault(404, "Not Found: method not found");
        return bot.commands.get(this.#menuKey(bot, params)) ?? [];
      case "getFile": {
        // 20 MB: the most either platform serves a bot (Telegram documents it; bale-mcp reports the same for Bale).
        const id = typeof params.file_id === "string" ? params.file_id : "";
        const file = this.#userFiles.get(id);
        if (!file || file.token !== bot.token) throw badRequest("invalid file_id");
        if (file.bytes.length > 20 * 1024 * 1024) throw badRequest("file is too big");
        return {
          file_id: id,
          file_unique_id: id,
          file_size: file.bytes.length,
          file_path: `${file.mime.startsWith("image/") && id.startsWith("photo") ? "photos" : "documents"}/${id}`,
        };
      }
      case "sendChatAction":
        this.#chatOf(bot, params);
        return true;
      case "sendMessage":
        return this.#send(bot, params, { text: textParam(params.text, MAX_TEXT, "message text") });
      case "sendPhoto":
        return this.#send(
          bot,
          params,
          { ...caption(params), photo: [this.#file(params.photo, files, "photo", "image/jpeg")] },
          files,
          "photo",
        );
      case "sendDocument":
        return this.#send(
          bot,
          params,
          { ...caption(params), document: this.#file(params.document, files, "document", "application/octet-stream") },
          files,
          "document",
        );
      case "editMessageText":
        return this.#edit(bot, params, (m) => {
          m.text = textParam(params.text, MAX_TEXT, "message text");
        });
      case "editMessageReplyMarkup":
        return this.#edit(bot, params, () => undefined);
      case "deleteMessage": {
        const message = this.#messageOf(bot, params);
        message.deleted = true;
        this.emit("delete", { token: bot.token, userId: message.chat.id, message });
        return true;
      }
      case "answerCallbackQuery": {
        const id = String(params.callback_query_id ?? "");
        if (!id || Number(id) >= this.#nextCallbackId)
          throw badRequest("query is too old and response timeout expired or query ID is invalid");
        if (bot.callbackAnswers.has(id))
          throw badRequest("query is too old and response timeout expired or query ID is invalid");
        bot.callbackAnswers.set(id, params);
        this.emit("callback-answer", { token: bot.token, id, params });
        return true;
      }
      default:
        throw new ApiFault(404, "Not Found: method not found");
    }
  }

  async #getUpdates(bot: SimBot, params: Params) {
    if (bot.webhook)
      throw new ApiFault(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    if (!capabilitiesOf(bot.platform).allowedUpdates && params.allowed_updates !== undefined)
      throw badRequest("allowed_updates is not supported");
    const offset = Number(params.offset ?? 0);
    if (offset > 0) bot.updates = bot.updates.filter((u) => u.update_id >= offset);
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const timeout = Math.min(Math.max(Number(params.timeout ?? 0), 0), 50);
    const pending = () => bot.updates.filter((u) => u.update_id >= offset).slice(0, limit);
    if (pending().length > 0 || timeout === 0) return pending();
    await new Promise<void>((resolve) => {
      const onUpdate = (e: { token: string }) => {
        if (e.token === bot.token) done();
      };
      const timer = setTimeout(done, timeout * 1000);
      function done() {
        clearTimeout(timer);
        this_.off("update", onUpdate);
        resolve();
      }
      const this_ = this;
      this.on("update", onUpdate);
    });
    return pending();
  }

  #setWebhook(bot: SimBot, params: Params) {
    const url = String(params.url ?? "");
    const caps = capabilitiesOf(bot.platform);
    if (caps.webhookSecret === "path" && params.secret_token !== undefined)
      throw badRequest("secret_token is not supported");
    if (!caps.allowedUpdates && params.allowed_updates !== undefined)
      throw badRequest("allowed_updates is not supported");
    if (url === "") {
      bot.webhook = null;
      return true;
    }
    if (!/^https?:\/\//.test(url)) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    bot.webhook = { url, ...(params.secret_token ? { secret: String(params.secret_token) } : {}) };
    this.emit("webhook", { token: bot.token, webhook: bot.webhook });
    return true;
  }

  /** Which menu a commands call is about: its scope (a chat scope's chat must exist) and language. */
  #menuKey(bot: SimBot, params: Params): string {
    const scope = (params.scope === undefined ? { type: "default" } : parseJson(params.scope, "scope")) as {
      type?: string;
      chat_id?: unknown;
    };
    const lang = typeof params.language_code === "string" ? params.language_code : "";
    if (scope.type === "chat") {
      this.#chatOf(bot, { chat_id: scope.chat_id });
      return `chat:${Number(scope.chat_id)}|${lang}`;
    }
    return `${scope.type ?? "default"}|${lang}`;
  }

  /** The menu a user of this language sees in a private chat, resolved as Telegram does (chat scope first). */
  menuOf(token: string, chatId: number, language = ""): string[] {
    const menus = this.bot(token).commands;
    const keys = [
      `chat:${chatId}|${language}`,
      `chat:${chatId}|`,
      `all_private_chats|${language}`,
      "all_private_chats|",
    ];
    keys.push(`default|${language}`, "default|");
    const found = keys.map((k) => menus.get(k)).find((m) => m !== undefined);
    return (found ?? []).map((c) => c.command);
  }

  #chatOf(bot: SimBot, params: Params): Chat {
    const chatId = Number(params.chat_id);
    const chat = this.chats.get(bot.token)?.get(chatId);
    // python-bale-bot reports Bale's chat-not-found as "no such group or user".
    if (!chat) throw badRequest(bot.platform === "bale" ? "no such group or user" : "chat not found");
    if (chat.blocked) throw forbidden("bot was blocked by the user");
    return chat;
  }

  #messageOf(bot: SimBot, params: Params): SimMessage {
    const chat = this.#chatOf(bot, params);
    const message = chat.messages.find((m) => m.message_id === Number(params.message_id) && !m.deleted);
    if (!message) throw badRequest("message to edit not found");
    return message;
  }

  #send(
    bot: SimBot,
    params: Params,
    body: Partial<SimMessage>,
    files?: Map<string, { bytes: Buffer; mime: string; name: string }>,
    fileField?: string,
  ): SimMessage {
    const chat = this.#chatOf(bot, params);
    const message: SimMessage = {
      message_id: this.#nextMessageId++,
      from: { id: bot.user.id, is_bot: true, first_name: bot.user.first_name, username: bot.user.username },
      chat: { id: chat.user.id, type: "private", first_name: chat.user.first_name },
      date: now(),
      ...body,
      ...markup(params.reply_markup),
    };
    this.#findCommands(bot, message);
    const upload = fileField ? files?.get(fileField) : undefined;
    if (upload) message.file = upload;
    chat.messages.push(message);
    this.emit("bot-message", { token: bot.token, userId: chat.user.id, message });
    return this.#public(message);
  }

  #findCommands(bot: SimBot, message: SimMessage) {
    const rule = bot.quirks.commandRule ?? (bot.platform === "telegram" ? "tdlib" : "whitespace");
    const entities = message.text === undefined ? [] : botCommands(message.text, rule);
    if (entities.length > 0) message.entities = entities;
    else delete message.entities;
  }

  #edit(bot: SimBot, params: Params, change: (m: SimMessage) => void) {
    if (params.inline_message_id) throw badRequest("inline messages are not supported here");
    const message = this.#messageOf(bot, params);
    if (!message.from.is_bot) throw badRequest("message can't be edited");
    const before = JSON.stringify([message.text, message.reply_markup]);
    change(message);
    this.#findCommands(bot, message);
    const m = markup(params.reply_markup);
    if (m.reply_markup) message.reply_markup = m.reply_markup;
    else delete message.reply_markup;
    if (JSON.stringify([message.text, message.reply_markup]) === before)
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    message.edit_date = now();
    this.emit("edit", { token: bot.token, userId: message.chat.id, message });
    return capabilitiesOf(bot.platform).editReturnsStub ? true : this.#public(message);
  }

  #file(
    value: unknown,
    files: Map<string, { bytes: Buffer; mime: string; name: string }>,
    field: string,
    mime: string,
  ) {
    const upload =
      typeof value === "string" && value.startsWith("attach://") ? files.get(value.slice(9)) : files.get(field);
    if (!upload && (typeof value !== "string" || value === "")) throw badRequest(`there is no ${field} in the request`);
    const id = `file_${this.#nextMessageId}_${field}`;
    if (upload) files.set(field, upload);
    return {
      file_id: id,
      file_unique_id: id,
      width: 800,
      height: 600,
      file_name: upload?.name,
      mime_type: upload?.mime ?? mime,
      file_size: upload?.bytes.length,
    };
  }

  #public(message: SimMessage) {
    const { deleted: _d, file: _f, ...rest } = message;
    return rest as SimMessage;
  }
}

function parseJson(value: unknown, what: string): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`can't parse ${what} JSON object`);
  }
}

function textParam(value: unknown, max: number, what: string): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : String(value);
  if (text.trim() === "") throw badRequest(`${what} is empty`);
  if ([...text].length > max) throw badRequest(`${what === "message text" ? "message" : what} is too long`);
  return text;
}

function caption(params: Params) {
  if (params.caption === undefined) return {};
  const text = String(params.caption);
  if ([...text].length > MAX_CAPTION) throw badRequest("message caption is too long");
  return { caption: text };
}

/** Validates reply markup as Telegram does: parseable, and callback data of 1–64 bytes. */
function markup(value: unknown): { reply_markup?: unknown } {
  if (value === undefined) return {};
  const m = parseJson(value, "reply keyboard markup") as Record<string, unknown> | null;
  if (!m || typeof m !== "object") throw badRequest("can't parse reply keyboard markup JSON object");
  if ("inline_keyboard" in m) {
    if (!Array.isArray(m.inline_keyboard))
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of m.inline_keyboard as unknown[]) {
      if (!Array.isArray(row))
        throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const button of row as Record<string, unknown>[]) {
        if (typeof button?.text !== "string" || button.text === "")
          throw badRequest("text buttons are unallowed in the inline keyboard");
        if ("callback_data" in button) {
          const bytes = Buffer.byteLength(String(button.callback_data), "utf8");
          if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID");
        }
      }
    }
    return { reply_markup: m };
  }
  return { reply_markup: m };
}
