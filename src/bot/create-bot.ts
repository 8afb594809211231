import { sequentialize } from "@grammyjs/runner";
import { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { PlatformConfig } from "../config.js";
import { capabilitiesOf } from "../platforms/capabilities.js";
import { normalizeUpdate } from "../platforms/normalize.js";
import { installApiGuards } from "../platforms/api-guards.js";
import { budgetedFetch } from "../delivery/budget/index.js";
import type { AppDeps } from "../deps.js";
import type { BotContext } from "./context.js";
import { conversationsFeature } from "./conversations/index.js";
import { textLengthGuard } from "./middlewares/text-length.js";
import { broadcastFeature } from "./features/broadcast.js";
import { commandsFeature } from "./features/commands.js";
import { helpFeature } from "./features/help.js";
import { reachabilityFeature, reachableAgain } from "./features/reachability.js";
import { pledgeFeature } from "./features/pledge.js";
import { languageFeature } from "./features/language.js";
import { profileFeature } from "./features/profile.js";
import { startFeature } from "./features/start.js";
import { rolesFeature } from "./features/roles.js";
import { auditFeature } from "./features/audit.js";
import { consoleFeature } from "./features/console.js";
import { reportsFeature } from "./features/reports.js";
import { indicatorsFeature } from "./features/indicators.js";
import { serviceDayFeature } from "./features/service-day.js";
import { timebankFeature } from "./features/timebank.js";
import { unhandledFeature } from "./features/unhandled.js";
import { handleBotError } from "./helpers/error-boundary.js";
import { CallbackAnswers } from "./middlewares/answer-callbacks.js";
import { attach } from "./middlewares/attach.js";
import { screeningFeature } from "./features/screening.js";
import { PersonLoader } from "./middlewares/load-person.js";
import { updateType } from "../observability/metrics.js";
import { dedupeUpdates } from "./middlewares/dedupe.js";
import { DEFAULT_FLOOD, floodGuard } from "./middlewares/flood.js";

export interface CreateBotOptions {
  /** Skips `getMe` at start (tests, or a worker that already knows it). */
  botInfo?: UserFromGetMe;
  /** Replaces the HTTP client (tests). */
  fetch?: typeof fetch;
}

/** Builds one platform's bot: the same features and stores for Telegram and Bale. */
export function createBot(platform: PlatformConfig, deps: AppDeps, options: CreateBotOptions = {}): Bot<BotContext> {
  const caps = capabilitiesOf(platform.platform);
  const bot = new Bot<BotContext>(platform.token, {
    botInfo: options.botInfo,
    // Every message call through the bot's send budget (conversations' own API objects share this client).
    client: { apiRoot: platform.apiRoot, fetch: budgetedFetch(deps.budget, caps, options.fetch) },
  });
  installApiGuards(bot.api, caps, deps.chat.apiTimeoutSeconds, { retry: true });
  const answers = new CallbackAnswers();
  // The sender's record, loaded once per update and handed to the conversations' replays.
  const people = new PersonLoader(deps.store);
  bot.api.config.use(answers.track);

  // Before anything reads the update (or a conversation stores it): the shape the Bot API types promise.
  bot.use((ctx, next) => {
    normalizeUpdate(ctx.update, caps);
    return next();
  });
  bot.use(attach(deps, caps));
  const fetchImpl = options.fetch ?? fetch;
  bot.use((ctx, next) => {
    ctx.fetchFile = (path, signal) => fetchImpl(`${platform.apiRoot}/file/bot${platform.token}/${path}`, { signal });
    return next();
  });
  bot.use(async (ctx, next) => {
    deps.metrics.updates.inc({ platform: caps.platform, type: updateType(ctx.update) });
    const done = deps.metrics.handlerSeconds.startTimer({ platform: caps.platform });
    try {
      await next();
    } finally {
      done();
    }
  });
  // Before the per-chat queue: a press is answered within the deadline even while earlier updates run.
  bot.use(answers.middleware());
  bot.use(
    floodGuard({
      ...DEFAULT_FLOOD,
      ...deps.chat.flood,
      inHand: Math.max(DEFAULT_FLOOD.inHand, deps.chat.flood.burst),
    }),
  );
  bot.use(sequentialize((ctx) => ctx.chatId?.toString() ?? ctx.from?.id.toString()));
  bot.use(dedupeUpdates());
  const safe = bot.errorBoundary(handleBotError);
  safe.use(people.outer());
  safe.use(reachableAgain);
  safe.use(textLengthGuard);
  safe.use(conversationsFeature(deps, caps, answers, people));
  safe.use(reachabilityFeature);
  safe.use(commandsFeature);
  // Before the ordinary /start: invitations and check-in links are not registration sources.
  safe.use(rolesFeature, serviceDayFeature, auditFeature, reportsFeature, indicatorsFeature, consoleFeature);
  safe.use(
    startFeature,
    helpFeature,
    languageFeature,
    profileFeature,
    broadcastFeature,
    pledgeFeature,
    timebankFeature,
    screeningFeature,
  );
  safe.use(unhandledFeature);
  bot.catch((err) => deps.logger.error({ err: err.message }, "error outside the boundary"));
  return bot;
}
