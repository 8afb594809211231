/**
 * The one place where Telegram and Bale differ. Features never test the
 * platform name; they read a capability from this table.
 */

export const PLATFORMS = ["telegram", "bale"] as const;
export type Platform = (typeof PLATFORMS)[number];

export type ParseMode = "HTML" | "MarkdownV2";

export interface PlatformCapabilities {
  readonly platform: Platform;
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
  /** A bot's deep link: this, the bot's username, then `?start=<payload>`. */
  readonly deepLinkBase: string;
  readonly chatTypes: readonly ("private" | "group" | "supergroup" | "channel")[];
  /** Known sending limits; `documented: false` means our own safe guess. */
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
    webhookSecret: "header",
    webhookPorts: [443, 80, 88, 8443],
    allowedUpdates: true,
    parseModes: ["HTML", "MarkdownV2"],
    mustAnswerCallbacks: true,
    editReturnsStub: false,
    inlineMode: true,
    deepLinkBase: "https://t.me/",
    chatTypes: ["private", "group", "supergroup", "channel"],
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
    webhookSecret: "path",
    webhookPorts: [443, 88],
    allowedUpdates: false,
    parseModes: [],
    mustAnswerCallbacks: true,
    editReturnsStub: true,
    inlineMode: false,
    deepLinkBase: "https://ble.ir/",
    chatTypes: ["private", "group", "channel"],
    rateLimits: {
      perChatPerSecond: 1,
      perGroupPerMinute: 20,
      globalPerSecond: 20,
      paidBroadcastPerSecond: null,
      documented: false,
    },
  },
};

export const capabilitiesOf = (platform: Platform): PlatformCapabilities => CAPABILITIES[platform];
