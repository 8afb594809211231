import type { Bot } from "grammy";
import { scheduledJobs } from "./app/jobs.js";
import { Platforms } from "./app/platforms.js";
import { mountRoutes } from "./app/routes.js";
import type { BotContext } from "./bot/context.js";
import { CommandMenus } from "./bot/command-menu.js";
import { createBot, type CreateBotOptions } from "./bot/create-bot.js";
import type { Config } from "./config.js";
import { makeLinkToken, type LinkDeps } from "./console/links.js";
import { createSendBudget } from "./delivery/budget/index.js";
import { createDeliveryEngine, type DeliveryEngine } from "./delivery/index.js";
import { BroadcastMonitor } from "./delivery/monitor.js";
import type { AppDeps } from "./deps.js";
import { systemClock, type Clock } from "./domain/clock.js";
import { createI18n } from "./i18n.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics } from "./observability/metrics.js";
import type { Platform } from "./platforms/capabilities.js";
import { mountWebhook } from "./runtime/webhook.js";
import { Scheduler } from "./scheduler/index.js";
import { keyInsideDataDir, PiiCipher, resolvePiiKey } from "./security/pii.js";
import { HttpServer } from "./server/http.js";
import { pledgePersonalizer } from "./services/campaigns.js";
import { actorsOf } from "./services/access.js";
import type { InviteDeps } from "./services/invites.js";
import type { ServiceDayDeps } from "./services/service-day/index.js";
import { createState } from "./state/index.js";
import { sealedState } from "./state/sealed.js";
import type { IdentityRef } from "./store/port/index.js";
import { openStore } from "./store/index.js";

export { PLATFORM_RETRY_MS, PLATFORM_START_WAIT_MS } from "./app/platforms.js";

export interface App {
  /** The configuration it was built from (the composition root's alone: handlers get `deps`). */
  config: Config;
  deps: AppDeps;
  /** Sends broadcasts and other pushes from the durable outbox. */
  engine: DeliveryEngine;
  bots: Map<Platform, Bot<BotContext>>;
  /** Runs the periodic jobs once now (what each minute's tick does): after the playground's clock moves. */
  runJobs(): Promise<void>;
  /** The command menus: everyone's, and each role holder's own. */
  menus: CommandMenus;
  server: HttpServer;
  /** Starts the HTTP server and the bots; resolves with the port listened on. */
  start(): Promise<number>;
  /** Stops taking updates, lets running handlers finish, closes the stores. */
  stop(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  /** Mounts extra routes (the playground) before the server listens. */
  mount?: (server: HttpServer, deps: AppDeps) => void;
  /** The address to listen on (the playground: loopback); every interface by default. */
  host?: string;
  /** Where time comes from (the machine's clock unless a test moves it). */
  clock?: Clock;
  /** Per-platform bot options (tests pass `botInfo` and `fetch`). */
  bot?: Partial<Record<Platform, CreateBotOptions>>;
}

/** The composition root: builds stores, bots and the HTTP server from one config. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const key = resolvePiiKey(config.piiKey, config.piiKeyFile, (path) =>
    logger.warn(
      { path },
      "PII_KEY is not set: generated a key for personal data. Back it up: without it the stored national IDs and phones cannot be read.",
    ),
  );
  if (!config.piiKey && keyInsideDataDir(config.piiKeyFile, config.dataDir))
    logger.warn(
      { path: config.piiKeyFile },
      "The PII key is kept inside DATA_DIR: a copy of that folder carries its own key. Keep a copy of the key apart from the data backups, or set PII_KEY_FILE outside DATA_DIR (see docs/operations.md).",
    );
  const cipher = new PiiCipher(key);
  // The one clock of the process: the send budget, the delivery engine, the scheduler, matching, the day of
  // service and invitations read it.
  const clock = options.clock ?? systemClock;
  const store = await openStore(config, cipher, logger);
  // Conversation state carries answers (a national ID, a phone): sealed with the PII key like the store.
  const state = sealedState(createState(config, logger), cipher);
  const i18n = await createI18n();
  // Each platform's bot, filled once the bots are made (they need the dependencies below).
  const platforms = new Platforms();
  const bots = platforms.bots;
  const broadcasts = new BroadcastMonitor(store, i18n, logger, (platform) => platforms.api(platform), 3000, {
    hours: config.quietHours,
    timeZone: config.timeZone,
    clock,
  });
  /** The public address of this server: PUBLIC_URL when set (https in production), the local port otherwise. */
  const publicBase = () => (config.publicUrl ?? `http://localhost:${server.port}`).replace(/\/$/, "");
  // Matching and the day of service share one object: one clock (tests move it), one set of stores.
  const now = () => new Date(clock.now());
  const matching: ServiceDayDeps = {
    store,
    i18n,
    logger,
    now,
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    signCheckIn: (code) => cipher.blindIndex("check-in", code),
    claimOnce: (key, ttl) => state.claimOnce(key, ttl),
    checkInLinks: (payload) => platforms.deepLinks(payload),
    verifyUrl: (code) => `${publicBase()}/verify?code=${encodeURIComponent(code)}`,
    attendanceGraceMinutes: config.attendanceGraceMinutes,
    approvalHandoff: config.approvalHandoff,
  };
  const actors = actorsOf(store, config.adminIds);
  const invites: InviteDeps = { store, logger, actors, now, sign: (id) => cipher.blindIndex("invite", id) };
  const metrics = createMetrics(() => store.deliveries.pendingCount(), {
    store: () =>
      store.ping().then(
        () => true,
        () => false,
      ),
    state: async () => state.available(),
  });
  const budget = createSendBudget(config, {
    logger,
    clock,
    observe: {
      sent(platform, lane, waited) {
        metrics.sends.inc({ platform, lane });
        if (waited > 0) metrics.sendWaitSeconds.inc({ platform, lane }, waited);
      },
      rateLimited: (platform, lane) => metrics.rateLimited.inc({ platform, lane }),
    },
  });
  const menus = new CommandMenus({ store, actors, i18n, logger }, (platform) => platforms.api(platform));
  const links: LinkDeps = {
    sign: (payload) => cipher.blindIndex("console-link", payload),
    // In the store, not the shared state: with Redis down, each worker's stand-in would let a link work once per worker.
    claimOnce: (key, ttl) => store.access.claimOnce(key, new Date(Date.now() + ttl * 1000)),
    claimed: (key) => store.access.claimed(key),
  };
  const consoleLinks = {
    // The console is on this server: PUBLIC_URL when set (https in production), the local port otherwise.
    linkFor: (ref: IdentityRef) => `${publicBase()}/console/login?t=${makeLinkToken(links, ref)}`,
  };
  const deps: AppDeps = {
    ...{ logger, store, state, i18n, broadcasts, matching, invites, metrics, budget, menus, clock, actors },
    timeZone: config.timeZone,
    platforms: config.bots.map((b) => b.platform),
    chat: { apiTimeoutSeconds: config.botApiTimeoutSeconds, flood: config.flood },
    serviceDay: matching,
    console: consoleLinks,
    deepLinks: (payload) => platforms.deepLinks(payload),
  };

  for (const platform of config.bots)
    platforms.add(platform.platform, createBot(platform, deps, options.bot?.[platform.platform]));

  const server = new HttpServer(logger);
  await mountRoutes(server, deps, platforms, config, links);
  options.mount?.(server, deps);
  const delivery = createDeliveryEngine(config, store, logger, {
    optOutLabel: i18n.t("fa")("notify.opt_out_button"),
    imInLabel: i18n.t("fa")("broadcast.im_in_button"),
    personalize: pledgePersonalizer(store, i18n),
    leaseMs: config.deliveryLeaseSeconds * 1000,
    tokenPauseMs: config.tokenPauseSeconds * 1000,
    clock,
    // A refused token pauses that platform's deliveries; the national admins hear of it on the other platform.
    onToken: (platform, accepted) =>
      void notifyAdmins(
        i18n.t("fa")(accepted ? "token.accepted" : "token.refused", {
          platform: i18n.t("fa")(`platform_name.${platform}`),
        }),
        platform,
      ),
    observe: { settled: (platform, status) => metrics.deliveries.inc({ platform, status }) },
    budget,
    ...(options.bot?.telegram?.fetch ? { fetch: options.bot.telegram.fetch } : {}),
  });
  const notifyAdmins = (text: string, avoid?: Platform) => platforms.notifyAdmins(config, logger, text, avoid);
  const scheduler = new Scheduler(scheduledJobs(deps, config, notifyAdmins), logger, clock);
  let stopping: Promise<void> | undefined;

  return {
    config,
    deps,
    runJobs: () => scheduler.tick(),
    engine: delivery.engine,
    bots,
    menus,
    server,
    async start() {
      const takesUpdates = config.role !== "delivery";
      const sends = config.role !== "bot";
      if (config.mode === "webhook" && takesUpdates) {
        for (const [platform, bot] of bots) mountWebhook(server, platform, bot, config.webhookSecret!);
      }
      // Listen first: the Bot API may be served by this very server (the playground).
      const port = await server.listen(config.port, options.host);
      await platforms.start({ config, logger, menus }, takesUpdates);
      // Its membership in the shared budget: a process with a delivery engine holds the sender lease (the CLI queues).
      if (bots.size > 0) budget.start({ engine: sends });
      if (bots.size > 0 && sends) {
        delivery.engine.start();
        scheduler.start();
      }
      logger.info(
        { port, role: config.role, store: store.kind, state: state.kind, sendBudget: budget.kind },
        "hamdel is up",
      );
      return port;
    },
    stop() {
      stopping ??= (async () => {
        await platforms.stop();
        await scheduler.stop();
        await delivery.close();
        await budget.close();
        broadcasts.stop();
        await server.close();
        await state.close();
        await store.close();
        logger.info("hamdel stopped");
      })();
      return stopping;
    },
  };
}
