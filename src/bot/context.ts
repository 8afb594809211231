import type { Conversation, ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { TFunction } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { PlatformCapabilities } from "../platforms/capabilities.js";
import type { Language } from "../store/port/index.js";
import type { AppDeps } from "../deps.js";
import type { PersonFlavor } from "./middlewares/load-person.js";

/** Installed on every context, outside and inside conversations. */
export interface HamdelFlavor {
  deps: AppDeps;
  caps: PlatformCapabilities;
  log: Logger;
  lang: Language;
  t: TFunction;
  /** Fetches a file by its `getFile` path, under this bot's API root, with the bot's own HTTP client (`helpers/files.ts`). */
  fetchFile(path: string, signal: AbortSignal): Promise<Response>;
}

/** Context inside conversations: its own object, rebuilt on each replay. */
export type ConversationContext = Context & HamdelFlavor;

/** Context of the outside middleware tree. */
export type BotContext = ConversationFlavor<
  Context &
    HamdelFlavor &
    PersonFlavor & {
      /** Set by a registration segment that saved its step: the next segment is entered at once. */
      registrationNext?: RegistrationResume;
    }
>;

/** How a registration continues in a new segment (see `registrationConversation`). */
export interface RegistrationResume {
  segment: true;
}

export type HamdelConversation = Conversation<BotContext, ConversationContext>;
