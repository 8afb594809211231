import {
  conversations,
  createConversation,
  type ConversationBuilder,
  type ConversationData,
  type VersionedStateStorage,
} from "@grammyjs/conversations";
import { Composer, type MiddlewareFn } from "grammy";
import type { PlatformCapabilities } from "../../platforms/capabilities.js";
import type { AppDeps } from "../../deps.js";
import type { BotContext, ConversationContext, HamdelConversation } from "../context.js";
import { attach } from "../middlewares/attach.js";
import { conversationNamespace } from "../../services/erasure.js";
import { installApiGuards } from "../../platforms/api-guards.js";
import type { PersonLoader } from "../middlewares/load-person.js";
import type { CallbackAnswers } from "../middlewares/answer-callbacks.js";
import { cancelFeature } from "../features/cancel.js";
import { broadcastConversation } from "./broadcast.js";
import { languageConversation } from "./language.js";
import { needConversation } from "./need.js";
import { requestConversation } from "./request.js";
import { inviteConversation } from "./invite.js";
import { actionConversation } from "./action.js";
import { NEXT_SEGMENT, registrationConversation } from "./registration/index.js";
import { profileEditConversation } from "./registration/profile-edit.js";

/**
 * Every conversation but the registration (entered in segments), by name: a
 * new conversation is its file and one line here; the command that opens it
 * is in `COMMANDS` (`bot/commands.ts`).
 */
const CONVERSATIONS = {
  language: languageConversation,
  "profile-edit": profileEditConversation,
  broadcast: broadcastConversation,
  need: needConversation,
  request: requestConversation,
  invite: inviteConversation,
  action: actionConversation,
} satisfies Record<
  string,
  (conversation: HamdelConversation, ctx: ConversationContext, ...args: never[]) => Promise<unknown>
>;

export type ConversationName = keyof typeof CONVERSATIONS | "registration";

/**
 * Bump when a conversation changes shape: stored state of another version is
 * dropped (the user starts that conversation again) instead of replayed wrongly.
 */
export const CONVERSATION_STATE_VERSION = 2;

/**
 * Conversation contexts are built from scratch on every replay, so the same
 * plugins the outside tree has (deps, i18n, auto-retry, platform guards) are
 * installed on each of them here.
 */
function insidePlugins(
  deps: AppDeps,
  caps: PlatformCapabilities,
  answers: CallbackAnswers,
  people: PersonLoader,
): MiddlewareFn<ConversationContext>[] {
  return [
    attach<ConversationContext>(deps, caps),
    people.inner<ConversationContext>(),
    (ctx, next) => {
      installApiGuards(ctx.api, caps, deps.chat.apiTimeoutSeconds, { retry: true });
      ctx.api.config.use(answers.track);
      return next();
    },
  ];
}

/**
 * Counts a conversation's starts and completions (`hamdel_conversations_total`;
 * a registration's later segments and the segment ends in between are not);
 * `external` runs once per real step, never again on replay.
 */
function counted<A extends unknown[]>(
  deps: AppDeps,
  name: string,
  fn: (conversation: HamdelConversation, ctx: ConversationContext, ...args: A) => Promise<unknown>,
  /** Whether these arguments enter a later segment of a conversation already counted as started. */
  continues: (...args: A) => boolean = () => false,
) {
  return async (conversation: HamdelConversation, ctx: ConversationContext, ...args: A) => {
    if (!continues(...args))
      await conversation.external(() => deps.metrics.conversations.inc({ conversation: name, event: "started" }));
    if ((await fn(conversation, ctx, ...args)) === NEXT_SEGMENT) return;
    await conversation.external(() => deps.metrics.conversations.inc({ conversation: name, event: "completed" }));
  };
}

/**
 * Enters the next registration segment when the one that handled this update
 * asked for it. Installed between the conversations plugin and the
 * conversations, so the plugin can still persist the new segment's state.
 */
const nextRegistrationSegment: MiddlewareFn<BotContext> = async (ctx, next) => {
  await next();
  const resume = ctx.registrationNext;
  if (!resume) return;
  ctx.registrationNext = undefined;
  await ctx.conversation.enter("registration", resume);
};

export function conversationsFeature(
  deps: AppDeps,
  caps: PlatformCapabilities,
  answers: CallbackAnswers,
  people: PersonLoader,
): Composer<BotContext> {
  const adapter = deps.state.storage<unknown>(conversationNamespace(caps.platform)) as VersionedStateStorage<
    string,
    ConversationData
  >;
  const composer = new Composer<BotContext>();
  composer.use(
    conversations<BotContext, ConversationContext>({
      storage: { type: "key", version: CONVERSATION_STATE_VERSION, adapter },
      plugins: insidePlugins(deps, caps, answers, people),
    }),
  );
  composer.use(nextRegistrationSegment);
  composer.use(cancelFeature);
  composer.use(
    createConversation(
      counted(deps, "registration", registrationConversation, (resume) => resume !== undefined),
      "registration",
    ),
  );
  for (const [name, fn] of Object.entries(CONVERSATIONS))
    composer.use(
      createConversation(
        counted<never[]>(deps, name, fn) as ConversationBuilder<BotContext, ConversationContext>,
        name,
      ),
    );
  return composer;
}
