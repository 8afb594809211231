import { Api, GrammyError, InputFile } from "grammy";
import type { Update } from "grammy/types";
import type { Config } from "../config.js";
import { ltr } from "../format.js";
import { capabilitiesOf, PLATFORMS, type Platform } from "../platforms/capabilities.js";
import { parseArgs } from "./args.js";
import { cliConfig, type CliIO } from "./runtime.js";
import { envKey, envKeys } from "../domain/platform.js";

export const PLATFORM_CHECK_USAGE = `Usage: hamdel platform-check --platform ${PLATFORMS.join("|")} --chat <your user id> [--wait 120] [--webhook-url https://…]

Talks to the real Bot API of one platform with its configured token (${envKeys("BOT_TOKEN")},
and *_API_ROOT), and compares what the platform does with what the
capability table (src/platforms/capabilities.ts) assumes. You, the operator, take part
in the chat: open a private chat with the bot first, then press the button and share
your contact when the bot asks. Run it with the bot stopped (it reads updates itself).
--webhook-url also checks which setWebhook parameters are accepted (the webhook is
removed again afterwards). Exits 0 when everything agrees, 1 on any disagreement.`;

/** One line of the report: what the table assumes, what the platform did. */
export interface CheckRow {
  check: string;
  expected: string;
  observed: string;
  /** `noted`: a finding the table has no claim on yet (what arrived is the answer), neither agreement nor failure. */
  verdict: "agrees" | "DISAGREES" | "skipped" | "failed" | "noted";
}

/** A tiny valid PNG (1×1), so the photo check needs no file. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

const errorOf = (e: unknown) =>
  e instanceof GrammyError ? `${e.error_code} ${e.description}` : e instanceof Error ? e.message : String(e);

/**
 * Runs the conformance check against one platform's API. `waitMs` bounds each
 * wait for the operator; `fetchImpl` lets tests point it at the simulator.
 */
export async function platformCheck(
  o: {
    platform: Platform;
    token: string;
    apiRoot: string;
    chatId: string;
    waitMs: number;
    webhookUrl?: string;
    say: (line: string) => void;
  },
  fetchImpl?: typeof fetch,
): Promise<CheckRow[]> {
  const caps = capabilitiesOf(o.platform);
  const client = (token: string) =>
    new Api(token, { apiRoot: o.apiRoot, ...(fetchImpl ? { fetch: fetchImpl as never } : {}) });
  const api = client(o.token);
  const rows: CheckRow[] = [];
  const row = (check: string, expected: string, observed: string, agrees: boolean | null) =>
    rows.push({ check, expected, observed, verdict: agrees === null ? "skipped" : agrees ? "agrees" : "DISAGREES" });
  /** Runs a call that should succeed; a failure is a row of its own. */
  const must = async <T>(check: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (e) {
      rows.push({ check, expected: "succeeds", observed: errorOf(e), verdict: "failed" });
      return undefined;
    }
  };

  const me = await must("getMe", () => api.getMe());
  if (!me) return rows;
  row("getMe", "answers", `@${me.username}`, true);
  row(
    "inline mode",
    String(caps.inlineMode),
    String(me.supports_inline_queries),
    me.supports_inline_queries === caps.inlineMode,
  );

  // A bad token's answer: what decides whether a refusal is checked with getMe before anyone is marked unreachable.
  try {
    await client(`${o.token.split(":")[0]}:not-the-token`).getMe();
    row("a bad token", `refused with ${caps.errors.tokenSuspect.join(" or ")}`, "accepted", false);
  } catch (e) {
    const code = e instanceof GrammyError ? e.error_code : NaN;
    row(
      "a bad token",
      `refused with ${caps.errors.tokenSuspect.join(" or ")}`,
      errorOf(e),
      caps.errors.tokenSuspect.includes(code),
    );
  }

  const info = await must("getWebhookInfo", () => api.getWebhookInfo());
  if (info?.url) {
    rows.push({
      check: "reading updates",
      expected: "no webhook set",
      observed: "a webhook is set: stop the bot's webhook (or run this on a test bot) for the interactive checks",
      verdict: "failed",
    });
    return rows;
  }
  // Only what arrives from now on.
  let offset = 0;
  const pending = await must("getUpdates", () => api.getUpdates({ timeout: 0 }));
  if (pending?.length) offset = pending.at(-1)!.update_id + 1;
  const next = async (want: (u: Update) => boolean): Promise<Update | undefined> => {
    const deadline = Date.now() + o.waitMs;
    while (Date.now() < deadline) {
      const seconds = Math.max(1, Math.min(10, Math.ceil((deadline - Date.now()) / 1000)));
      const updates = await api.getUpdates({ offset, timeout: seconds });
      for (const u of updates) {
        offset = u.update_id + 1;
        if (want(u)) return u;
      }
    }
    return undefined;
  };

  const sent = await must("sendMessage", () =>
    api.sendMessage(o.chatId, "Hamdel platform-check: please press the button below.", {
      reply_markup: { inline_keyboard: [[{ text: "Press me", callback_data: "pc:press" }]] },
    }),
  );
  if (!sent) return rows;
  row("sendMessage with an inline keyboard", "a message", `message ${sent.message_id}`, sent.message_id > 0);
  const reply = await must("reply", () =>
    api.sendMessage(o.chatId, "(a reply)", { reply_parameters: { message_id: sent.message_id } }),
  );
  if (reply) row("reply to a message", "a message", `message ${reply.message_id}`, reply.message_id > 0);
  const commands = await must("a command inside Persian text", () =>
    // Test content, not interface text: the check needs a command inside a right-to-left (Persian) line.
    api.sendMessage(o.chatId, `جدا شده: ${ltr("/help")} — ساده: /start`),
  );
  if (commands) {
    const found = (commands.entities ?? []).filter((e) => e.type === "bot_command").map((e) => e.offset);
    const isolatedAt = commands.text!.indexOf("/help");
    const bareAt = commands.text!.indexOf("/start");
    // Where the answer carries no entities, only the chat shows it: are both commands tappable?
    if (!commands.entities) {
      row("a command after an isolate", "look in the chat: is /help tappable?", "no entities in the answer", null);
      o.say(
        "In the chat with the bot: if «/help» is not tappable while «/start» is, commandAfterIsolate must be false.",
      );
    } else
      row(
        "a command after an isolate",
        caps.commandAfterIsolate ? "a bot_command (commands are isolated)" : "not relied on (commands are sent bare)",
        found.includes(isolatedAt)
          ? "a bot_command"
          : `not a command${found.includes(bareAt) ? " (the bare one is)" : ""}`,
        // Isolating is safe only where it is found; sending bare needs only the bare one found.
        caps.commandAfterIsolate ? found.includes(isolatedAt) : found.includes(bareAt),
      );
  }

  o.say("In the chat with the bot: press «Press me».");
  const press = await next((u) => u.callback_query?.data === "pc:press");
  if (!press?.callback_query) row("a button press", "a callback_query", "none within the wait", null);
  else {
    const q = press.callback_query;
    const hasMessage = q.message !== undefined;
    row(
      "callback_query.message",
      caps.callbackMessageOptional ? "present or missing" : "present",
      hasMessage ? "present" : "missing",
      hasMessage || caps.callbackMessageOptional,
    );
    const answered = await must("answerCallbackQuery", () => api.answerCallbackQuery(q.id, { text: "✓" }));
    if (answered !== undefined) row("answerCallbackQuery", "true", String(answered), answered === true);
  }

  const edited = await must("editMessageText", () =>
    api.editMessageText(o.chatId, sent.message_id, "Edited by platform-check."),
  );
  if (edited !== undefined) {
    const stub =
      edited === true ||
      (typeof edited === "object" && (!edited.message_id || !("text" in edited) || edited.text === undefined));
    row(
      "editMessageText's answer",
      caps.editReturnsStub ? "the message, or a stub" : "the edited message",
      stub ? "a stub" : "the message",
      caps.editReturnsStub || !stub,
    );
  }

  await must("request_contact keyboard", () =>
    api.sendMessage(o.chatId, "Please share your contact with the button below.", {
      reply_markup: {
        keyboard: [[{ text: "Share my contact", request_contact: true }]],
        one_time_keyboard: true,
        resize_keyboard: true,
      },
    }),
  );
  o.say("In the chat with the bot: press «Share my contact».");
  const shared = await next((u) => u.message?.contact !== undefined);
  const contact = shared?.message?.contact as { phone_number?: unknown; user_id?: unknown } | undefined;
  if (!contact) row("a shared contact", "a contact", "none within the wait", null);
  else {
    const kind = typeof contact.phone_number;
    row(
      "contact.phone_number",
      caps.contactPhone === "string" ? "a string" : "a string or a number",
      `a ${kind}`,
      kind === "string" || (kind === "number" && caps.contactPhone === "string-or-number"),
    );
    const hasUser = contact.user_id !== undefined;
    row(
      "contact.user_id",
      caps.contactWithoutUserId === "reject" ? "the sharer's id" : "the sharer's id, or missing (taken unverified)",
      hasUser
        ? `${typeof contact.user_id} ${String(contact.user_id) === o.chatId ? "(the sharer's)" : "(another's)"}`
        : "missing",
      hasUser ? String(contact.user_id) === o.chatId : caps.contactWithoutUserId === "unverified",
    );
  }
  await must("remove the keyboard", () =>
    api.sendMessage(o.chatId, "Thank you.", { reply_markup: { remove_keyboard: true } }),
  );

  // A deep link's payload: what centres' check-in codes and invitations ride on. Bale's `?start=` is seen in
  // code but undocumented; the bot also takes a check-in code sent as a message, whatever this finds.
  const link = `${caps.deepLinkBase}${me.username}?start=pc_deeplink`;
  await must("a deep link", () =>
    api.sendMessage(o.chatId, `Hamdel platform-check: please open this link, then press Start if asked: ${link}`),
  );
  o.say(`In the chat with the bot: open ${link}`);
  const started = await next((u) => u.message?.text?.startsWith("/start") === true);
  const startText = started?.message?.text;
  row(
    "a deep link's payload (/start pc_deeplink)",
    "/start pc_deeplink",
    startText ?? "none within the wait",
    startText === undefined ? null : startText.trim() === "/start pc_deeplink",
  );

  // A file a person sends, fetched as safeguarding's documents are: getFile, then <root>/file/bot<token>/<path>.
  // Telegram documents it; for Bale it is read from Balethon and python-bale-bot (medium), which this settles.
  await must("ask for a photo", () =>
    api.sendMessage(
      o.chatId,
      "Hamdel platform-check: please send any photo to this chat (it is fetched, then forgotten).",
    ),
  );
  o.say("In the chat with the bot: send any photo.");
  const sentPhoto = await next((u) => (u.message?.photo?.length ?? 0) > 0);
  const largest = sentPhoto?.message?.photo?.at(-1);
  if (!largest) row("a sent photo, fetched", "its bytes", "no photo within the wait", null);
  else {
    try {
      const file = await api.getFile(largest.file_id);
      const res = await (fetchImpl ?? fetch)(`${o.apiRoot}/file/bot${o.token}/${file.file_path}`);
      const bytes = res.ok ? (await res.arrayBuffer()).byteLength : 0;
      row(
        "a sent photo, fetched",
        "its bytes",
        res.ok ? `${bytes} bytes (${file.file_path})` : `HTTP ${res.status}`,
        res.ok && bytes > 0,
      );
    } catch (e) {
      rows.push({
        check: "a sent photo, fetched",
        expected: "its bytes",
        observed: errorOf(e),
        verdict: "failed",
      });
    }
  }

  const photo = await must("sendPhoto", () => api.sendPhoto(o.chatId, new InputFile(PNG, "check.png")));
  if (photo) row("sendPhoto (upload)", "a message with a photo", photo.photo ? "a photo" : "no photo", !!photo.photo);
  const doc = await must("sendDocument", () =>
    api.sendDocument(o.chatId, new InputFile(Buffer.from("\uFEFFcheck,ok\n", "utf8"), "check.csv")),
  );
  if (doc)
    row(
      "sendDocument (upload)",
      "a message with a document",
      doc.document ? "a document" : "no document",
      !!doc.document,
    );
  // Exports go to the chat under ASCII names (hamdel-volunteers-1405-09-17.csv): grammY writes a file name into
  // the multipart header as raw UTF-8, which no source says Bale (or Telegram) reads. This finds out.
  const persianName = "همدل-آزمون.csv";
  try {
    const named = await api.sendDocument(o.chatId, new InputFile(Buffer.from("\uFEFFcheck,ok\n", "utf8"), persianName));
    rows.push({
      check: "a document's Persian file name",
      expected: "unknown (exports use ASCII names)",
      observed: named.document?.file_name ?? "no file name",
      verdict: "noted",
    });
  } catch (e) {
    rows.push({
      check: "a document's Persian file name",
      expected: "unknown (exports use ASCII names)",
      observed: `refused: ${errorOf(e)}`,
      verdict: "noted",
    });
  }
  const deleted = await must("deleteMessage", () => api.deleteMessage(o.chatId, reply?.message_id ?? sent.message_id));
  if (deleted !== undefined) row("deleteMessage", "true", String(deleted), deleted === true);

  try {
    await api.setMyCommands([{ command: "help", description: "help" }]);
    row("setMyCommands", caps.commandMenu ? "exists" : "does not exist", "exists", caps.commandMenu);
  } catch (e) {
    row("setMyCommands", caps.commandMenu ? "exists" : "does not exist", errorOf(e), !caps.commandMenu);
  }

  if (!o.webhookUrl)
    row(
      "setWebhook parameters",
      "secret_token / allowed_updates as the table says",
      "not checked (no --webhook-url)",
      null,
    );
  else {
    for (const [name, extra, accepted] of [
      ["secret_token", { secret_token: "platformcheck_0123456789" }, caps.webhookSecret === "header"],
      ["allowed_updates", { allowed_updates: ["message"] as const }, caps.allowedUpdates],
    ] as const) {
      try {
        await api.setWebhook(o.webhookUrl, extra as never);
        row(`setWebhook with ${name}`, accepted ? "accepted" : "refused", "accepted", accepted);
      } catch (e) {
        row(`setWebhook with ${name}`, accepted ? "accepted" : "refused", errorOf(e), !accepted);
      }
    }
    await must("deleteWebhook", () => api.deleteWebhook());
  }
  return rows;
}

/** Prints the report as a table. */
export function formatReport(rows: CheckRow[]): string {
  const widths = [28, 44, 44];
  const cell = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + "…" : s.padEnd(w));
  return [
    [cell("check", widths[0]!), cell("capability table", widths[1]!), cell("platform", widths[2]!), "verdict"].join(
      "  ",
    ),
    ...rows.map((r) =>
      [cell(r.check, widths[0]!), cell(r.expected, widths[1]!), cell(r.observed, widths[2]!), r.verdict].join("  "),
    ),
  ].join("\n");
}

/** `platform-check --platform … --chat …`. */
export async function platformCheckCommand(
  argv: string[],
  io: CliIO = console,
  given?: Config,
  fetchImpl?: typeof fetch,
): Promise<number> {
  const { flags } = parseArgs(argv);
  const platform = flags.get("platform")?.[0] as Platform | undefined;
  const chat = flags.get("chat")?.[0];
  const wait = Number(flags.get("wait")?.[0] ?? 120);
  if (!platform || !PLATFORMS.includes(platform) || !chat || !/^\d+$/.test(chat) || !(wait > 0)) {
    io.error(PLATFORM_CHECK_USAGE);
    return 2;
  }
  const config = cliConfig(io, given);
  if (!config) return 2;
  const bot = config.bots.find((b) => b.platform === platform);
  if (!bot) {
    io.error(`No token for ${platform}: set ${envKey(platform, "BOT_TOKEN")}.`);
    return 2;
  }
  io.log(`platform-check: ${platform} at ${bot.apiRoot}, chat ${chat}`);
  const rows = await platformCheck(
    {
      platform,
      token: bot.token,
      apiRoot: bot.apiRoot,
      chatId: chat,
      waitMs: wait * 1000,
      ...(flags.get("webhook-url") ? { webhookUrl: flags.get("webhook-url")![0]! } : {}),
      say: (line) => io.log(`→ ${line}`),
    },
    fetchImpl,
  );
  io.log(formatReport(rows));
  const bad = rows.filter((r) => r.verdict === "DISAGREES" || r.verdict === "failed");
  const skipped = rows.filter((r) => r.verdict === "skipped").length;
  io.log(
    bad.length
      ? `\n${bad.length} disagreement(s) with the capability table: correct the table (with the source: this check) or report it.`
      : `\neverything checked agrees with the capability table${skipped ? ` (${skipped} not checked)` : ""}.`,
  );
  return bad.length ? 1 : 0;
}
