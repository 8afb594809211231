/**
 * The one place where Telegram and Bale differ. Features never test the
 * platform name; they read a capability from this table.
 */

import { PLATFORMS, type Platform } from "../domain/platform.js";

export { PLATFORMS, type Platform };

export type ParseMode = "HTML" | "MarkdownV2";

export interface PlatformCapabilities {
  readonly platform: Platform;
  /** The real Bot API's root (`*_API_ROOT`'s default; its webhook rules apply only there). */
  readonly apiRoot: string;
  /** How its clients look, for the playground's persona (accent, chat background, one's own bubble). */
  readonly look: { readonly accent: string; readonly background: string; readonly mine: string };
  /** Where the webhook secret travels: Telegram's header, or Bale's URL path. */
  readonly webhookSecret: "header" | "path";
  /** Ports the platform will deliver webhooks to (`null`: any). */
  readonly webhookPorts: readonly number[] | null;
  /** Whether `setWebhook` / `getUpdates` accept `allowed_updates`. */
  readonly allowedUpdates: boolean;
  /** Parse modes that render reliably; empty means send plain text. */
  readonly parseModes: readonly ParseMode[];
  /** Every callback query must be answered, or the client keeps spinning. */
  readonly mustAnswerCallbacks: boolean;
  /** `editMessageText` may answer with a stub instead of the edited message. */
  readonly editReturnsStub: boolean;
  readonly inlineMode: boolean;
  /** Where its link stands when a message offers one per platform (lower first). */
  readonly linkRank: number;
  /** A bot's deep link: this, the bot's username, then `?start=<payload>`. */
  readonly deepLinkBase: string;
  readonly chatTypes: readonly ("private" | "group" | "supergroup" | "channel")[];
  /** How `contact.phone_number` may arrive (normalised to a string at the edge, `src/platforms/normalize.ts`). */
  readonly contactPhone: "string" | "string-or-number";
  /**
   * A shared contact without `user_id`: `reject` (it is not the sender's own:
   * someone's contact card) or `unverified` (taken as the sender's number, but
   * never as proof of owning it, so it links nothing).
   */
  readonly contactWithoutUserId: "reject" | "unverified";
  /** `callback_query.message` may be missing on a press of the bot's own message. */
  readonly callbackMessageOptional: boolean;
  /** The platform sends `my_chat_member` when a person blocks or unblocks the bot. */
  readonly membershipUpdates: boolean;
  /** The platform has `setMyCommands` (the command menu). */
  readonly commandMenu: boolean;
  /**
   * A command right after a Unicode isolate («\u2066/start\u2069») is still a
   * tappable command, so commands inside Persian text can be isolated
   * (`isolateCommands`); where unknown, they are sent bare, tappable but
   * shown «start/» inside a Persian line.
   */
  readonly commandAfterIsolate: boolean;
  /** Plain text is rendered as Markdown: `*` and `_` in it must not reach the client as markup. */
  readonly markdownInPlainText: boolean;
  /**
   * What the platform's errors mean (`src/delivery/classify.ts`): status codes
   * that may mean our token is bad (checked with `getMe` before anyone is
   * marked unreachable), and the texts of a rate limit and of a missing chat.
   */
  readonly errors: {
    readonly tokenSuspect: readonly number[];
    readonly rateLimitText: RegExp;
    readonly chatNotFoundText: RegExp;
    readonly blockedText: RegExp;
  };
  /**
   * Known sending limits; `documented: false` means our own safe guess.
   * `globalPerSecond` is the default of `*_SEND_RATE` (the send budget's
   * total per token); the per-chat and per-group ones pace pushes.
   */
  readonly rateLimits: {
    readonly perChatPerSecond: number;
    readonly perGroupPerMinute: number;
    readonly globalPerSecond: number;
    readonly paidBroadcastPerSecond: number | null;
    readonly documented: boolean;
  };
}

/** The update kinds Hamdel handles; asked for wherever the platform allows. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export const CAPABILITIES: Readonly<Record<Platform, PlatformCapabilities>> = {
  telegram: {
    platform: "telegram",
    apiRoot: "https://api.telegram.org",
    look: { accent: "#2481cc", background: "#e7ebf0", mine: "#effdde" },
    webhookSecret: "header",
    webhookPorts: [443, 80, 88, 8443],
    allowedUpdates: true,
    parseModes: ["HTML", "MarkdownV2"],
    mustAnswerCallbacks: true,
    editReturnsStub: false,
    inlineMode: true,
    // After Bale's: Telegram is filtered in Iran (reached through a VPN by those who have one).
    linkRank: 1,
    deepLinkBase: "https://t.me/",
    chatTypes: ["private", "group", "supergroup", "channel"],
    // Telegram's Bot API documentation (core.telegram.org/bots/api), high confidence throughout.
    contactPhone: "string",
    // A contact shared through a request_contact button always carries the sharer's user_id; one without it is
    // someone's contact card.
    contactWithoutUserId: "reject",
    callbackMessageOptional: false,
    membershipUpdates: true,
    commandMenu: true,
    // tdlib's find_bot_commands (td/telegram/MessageEntity.cpp): a "/" starts a command unless the character before it
    // is a word character (a letter, a digit, "_"), "/", "<" or ">"; an isolate (U+2066, a format character) is none of
    // them. The same rule finds the entities the Bot API returns. Medium: read from the client library's source, not
    // seen live here; platform-check shows it.
    commandAfterIsolate: true,
    markdownInPlainText: false,
    errors: {
      // 401 Unauthorized is the bad token; 403 is always about the chat (blocked, kicked, deactivated).
      tokenSuspect: [401],
      rateLimitText: /too many requests/i,
      chatNotFoundText: /chat not found|user is deactivated/i,
      blockedText: /blocked|kicked|deactivated/i,
    },
    rateLimits: {
      perChatPerSecond: 1,
      perGroupPerMinute: 20,
      globalPerSecond: 30,
      paidBroadcastPerSecond: 1000,
      documented: true,
    },
  },
  bale: {
    platform: "bale",
    // The brief and every Bale library (Balethon, python-bale-bot, laravel-bale). High.
    apiRoot: "https://tapi.bale.ai",
    look: { accent: "#00a884", background: "#e8f1ee", mine: "#d9f5ec" },
    // setWebhook documents only `url` (Balethon set_webhook, python-bale-bot, laravel-bale): the secret goes in the
    // path, and allowed_updates is not sent. Medium.
    webhookSecret: "path",
    // The brief's 443 and 88; no public source was found for Bale's webhook ports. Low: platform-check settles it.
    webhookPorts: [443, 88],
    allowedUpdates: false,
    // parse_mode is undocumented and reported unreliable (the brief; bale-mcp): text goes plain. Medium.
    parseModes: [],
    // laravel-bale and bale-mcp: the button spins until answered. High.
    mustAnswerCallbacks: true,
    // bale-mcp (live): editMessageText answers a stub (message_id 0, no text). Medium.
    editReturnsStub: true,
    // No inline mode in any library, nor in the brief. High.
    inlineMode: false,
    // ble.ir/<bot>?start= is seen in several codebases, undocumented. Low.
    // First: the messenger most citizens have (domestic; Telegram is filtered in Iran).
    linkRank: 0,
    deepLinkBase: "https://ble.ir/",
    // Balethon, bale-bot-ts: private, group, channel (no supergroup). High.
    chatTypes: ["private", "group", "channel"],
    // Sources for each Bale fact (shared/BALE.md): none is from Bale's own documentation, which could not be read
    // here; `npm run cli -- platform-check --platform bale` settles them against the real API.
    // python-bale-bot (attachments/_contact.py) types phone_number as int, laravel-bale as int|string, Balethon as
    // string: medium confidence, so both are read.
    contactPhone: "string-or-number",
    // Every library models user_id as optional, and none says whether a request_contact share carries it. Refusing
    // would block registration by sharing on Bale; taking it as verified would let anyone claim a number. So it is
    // taken as the sender's number, unverified (it never links two registrations). Low confidence.
    contactWithoutUserId: "unverified",
    // laravel-bale documents callback_query.message as optional: medium confidence.
    callbackMessageOptional: true,
    // No Bale library models my_chat_member, and Balethon's member statuses have no "kicked": medium confidence.
    // So a person counts as unreachable only from a delivery refused as blocked or chat-not-found (after getMe has
    // shown the token works), and as reachable again on their next message (`reachableAgain`).
    membershipUpdates: false,
    // laravel-bale's list of official methods has no setMyCommands; absent from Balethon and python-bale-bot: medium.
    commandMenu: false,
    // No source says how Bale's clients find a command in a bot's text. Bare commands stay tappable under any rule
    // (a space or a line start before the "/"), so they are sent bare. Low: platform-check reports whether an isolated
    // one comes back as a bot_command entity. A bare one after Persian words is drawn reversed («help/»), so every
    // command in the Persian texts starts its own line (test/locales.test.ts).
    commandAfterIsolate: false,
    // bale-mcp, tested against the live API, reports *bold* and _italic_ rendered in plain text: medium.
    markdownInPlainText: true,
    errors: {
      // bale-mcp (live): a bad token answers 403 or 404, not 401. 401 is kept in case Bale follows Telegram. Medium.
      tokenSuspect: [401, 403, 404],
      // python-bale-bot's _error.py: "bot limit exceed" (an older text); Balethon's too_many_requests.py: 429. Medium.
      rateLimitText: /bot limit exceed|too many requests/i,
      // python-bale-bot: "no such group or user" is its chat-not-found. Medium.
      chatNotFoundText: /no such group or user|chat not found/i,
      blockedText: /blocked|kicked/i,
    },
    // Undocumented (Balethon, python-bale-bot know only 429 and "bot limit exceed"): Telegram's per-chat limit and a
    // lower global one, our own conservative guess (BALE_SEND_RATE's default; a 429 pauses the bot and backs its
    // broadcasts off, so a guess too high costs pauses, not bans). Low.
    rateLimits: {
      perChatPerSecond: 1,
      perGroupPerMinute: 20,
      globalPerSecond: 15,
      paidBroadcastPerSecond: null,
      documented: false,
    },
  },
};

export const capabilitiesOf = (platform: Platform): PlatformCapabilities => CAPABILITIES[platform];
