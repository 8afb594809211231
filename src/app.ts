import type { RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { BotContext } from "./bot/context.js";
import type { AppDeps } from "./deps.js";
import { createBot, type CreateBotOptions } from "./bot/create-bot.js";
import type { Config } from "./config.js";
import { CommandMenus } from "./bot/command-menu.js";
import { createDeliveryEngine, type DeliveryEngine } from "./delivery/index.js";
import { createSendBudget, inLane } from "./delivery/budget/index.js";
import { BroadcastMonitor } from "./delivery/monitor.js";
import { runCampaigns } from "./services/campaign-runs.js";
import { Scheduler } from "./scheduler/index.js";
import { systemClock, type Clock } from "./domain/clock.js";
import { pledgePersonalizer } from "./services/campaigns.js";
import { matchingTick } from "./services/matching/index.js";
import { serviceTick, type ServiceDayDeps } from "./services/service-day/index.js";
import { mountVerifyPage } from "./server/verify.js";
import type { InviteDeps } from "./services/invites.js";
import { createMetrics } from "./observability/metrics.js";
import { createI18n } from "./i18n.js";
import { createLogger, type Logger } from "./logger.js";
import { capabilitiesOf, type Platform } from "./platforms/capabilities.js";
import { startPolling } from "./runtime/polling.js";
import { mountWebhook, registerWebhook } from "./runtime/webhook.js";
import { keyInsideDataDir, PiiCipher, resolvePiiKey } from "./security/pii.js";
import { consoleHandler, createConsole } from "./console/index.js";
import { makeLinkToken, type LinkDeps } from "./console/links.js";
import type { IdentityRef } from "./store/port/index.js";
import { Sessions, type ConsoleSession } from "./console/session.js";
import { mountHealth } from "./server/health.js";
import { HttpServer } from "./server/http.js";
import { bearerMatches } from "./server/auth.js";
import { createState } from "./state/index.js";
import { sealedState } from "./state/sealed.js";
import { openStore } from "./store/index.js";

/** The first wait before a platform whose start failed is tried again (doubling, up to a minute). */
export const PLATFORM_RETRY_MS = 2000;
/** How long the start waits for every platform before going on with those that are up. */
export const PLATFORM_START_WAIT_MS = 5000;

export interface App {
  deps: AppDeps;
  /** Sends broadcasts and other pushes from the durable outbox. */
  engine: DeliveryEngine;
  bots: Map<Platform, Bot<BotContext>>;
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
  // The one clock of the process: the send budget, the delivery engine and the scheduler read it.
  const clock = options.clock ?? systemClock;
  const store = await openStore(config, cipher, logger);
  // Conversation state carries answers (a national ID, a phone): sealed with the PII key like the store.
  const state = sealedState(createState(config, logger), cipher);
  const i18n = await createI18n();
  const bots = new Map<Platform, Bot<BotContext>>();
  const broadcasts = new BroadcastMonitor(store, i18n, logger, (platform) => bots.get(platform)?.api, 3000, {
    hours: config.quietHours,
    timeZone: config.timeZone,
  });
  /** The public address of this server: PUBLIC_URL when set (https in production), the local port otherwise. */
  const publicBase = () => (config.publicUrl ?? `http://localhost:${server.port}`).replace(/\/$/, "");
  /** A deep link on every running bot (an invitation, a centre's check-in). */
  const deepLinks = (payload: string) =>
    [...bots]
      .filter(([, bot]) => bot.isInited())
      .map(([platform, bot]) => ({
        platform,
        url: `${capabilitiesOf(platform).deepLinkBase}${bot.botInfo.username}?start=${payload}`,
      }));
  // Matching and the day of service share one object: one clock (tests move it), one set of stores.
  const matching: ServiceDayDeps = {
    store,
    i18n,
    logger,
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    signCheckIn: (code) => cipher.blindIndex("check-in", code),
    claimOnce: (key, ttl) => state.claimOnce(key, ttl),
    checkInLinks: deepLinks,
    verifyUrl: (code) => `${publicBase()}/verify?code=${encodeURIComponent(code)}`,
    attendanceGraceMinutes: config.attendanceGraceMinutes,
  };
  const invites: InviteDeps = { store, logger, config, sign: (id) => cipher.blindIndex("invite", id) };
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
  const menus = new CommandMenus({ store, config, i18n, logger }, (platform) => bots.get(platform)?.api);
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
    ...{ config, logger, store, state, i18n, broadcasts, matching, invites, metrics, budget, menus },
    serviceDay: matching,
    console: consoleLinks,
  };

  for (const platform of config.bots)
    bots.set(platform.platform, createBot(platform, deps, options.bot?.[platform.platform]));

  const server = new HttpServer(logger);
  /** Each platform's bot: `up` once started; until then (or after a failed start, retried) `down`. */
  const platformUp = new Map<Platform, boolean>(config.bots.map((b) => [b.platform, false]));
  mountHealth(
    server,
    { store: () => store.ping() },
    {
      state: () => state.ping(),
      ...Object.fromEntries(
        [...platformUp.keys()].map((p) => [
          p,
          async () => {
            // Started here, or (a test's harness, a delivery worker) initialised by its owner.
            if (!platformUp.get(p) && !bots.get(p)?.isInited()) throw new Error("not started");
          },
        ]),
      ),
    },
  );
  server.route("GET", "/metrics", async (req, res) => {
    if (config.metricsToken && !bearerMatches(req.headers.authorization, config.metricsToken)) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"' });
      return res.end();
    }
    res.writeHead(200, { "content-type": metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  });
  const consoleApp = await createConsole({
    ...deps,
    links,
    sessions: new Sessions(state.storage<ConsoleSession>("console-session")),
    secure: config.publicUrl?.startsWith("https://") ?? false,
    inviteLinks: deepLinks,
  });
  server.route("*", "/console*", consoleHandler(consoleApp), { raw: true });
  mountVerifyPage(server, store, i18n, logger, {
    takeToken: (key, burst, perSecond) => state.takeToken(key, burst, perSecond),
    trustProxy: config.trustProxy,
    onRefused: () => metrics.refused.inc({ defence: "verify_rate" }),
  });
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
  const runners: RunnerHandle[] = [];
  /** Tells every national admin (ADMIN_IDS) something, on their own platform (except `avoid`). */
  const notifyAdmins = async (text: string, avoid?: Platform) => {
    for (const admin of config.adminIds) {
      const api = bots.get(admin.platform)?.api;
      if (admin.platform === avoid || !api) continue;
      await inLane("urgent", () => api.sendMessage(admin.userId, text)).catch((err: Error) =>
        logger.warn({ err: err.message, admin: admin.platform }, "admin not notified"),
      );
    }
  };
  // The periodic work, in one list (each once a minute; a failure is logged by the job's name).
  const scheduler = new Scheduler(
    [
      { name: "campaigns", run: (now) => runCampaigns(store, i18n, logger, now, config.timeZone, notifyAdmins) },
      { name: "matching", run: () => matchingTick(matching) },
      { name: "day of service", run: () => serviceTick(matching) },
      {
        name: "outbox purge",
        run: async (now) => {
          const n = await store.deliveries.purgePersonal(
            new Date(now.getTime() - config.pushRetentionDays * 86_400_000),
          );
          if (n > 0) logger.info({ purged: n }, "settled one-to-one messages purged");
        },
      },
    ],
    logger,
    clock,
  );
  let stopping: Promise<void> | undefined;
  const retryTimers: NodeJS.Timeout[] = [];

  return {
    deps,
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
      /** One platform's start; a failure (its API unreachable, its token refused) stops only that platform. */
      const startPlatform = async (platform: Platform, bot: Bot<BotContext>) => {
        await bot.init();
        if (takesUpdates) {
          await menus.registerDefault(platform);
          // Each role holder's own menu, in the background: a few hundred calls need not hold up the start.
          void menus
            .refreshHolders(platform)
            .catch((err: Error) => logger.warn({ platform, err: err.message }, "coordinators' menus not set"));
          if (config.mode === "webhook") await registerWebhook(bot, platform, config.publicUrl!, config.webhookSecret!);
          else runners.push(await startPolling(bot, platform));
        }
        platformUp.set(platform, true);
        logger.info({ platform, username: bot.botInfo.username, mode: config.mode }, "bot started");
      };
      /** Tries again in the background, waiting longer each time (up to a minute), until it starts or we stop. */
      const keepTrying = (platform: Platform, bot: Bot<BotContext>, attempt: number) => {
        const timer = setTimeout(
          () => {
            if (stopping) return;
            startPlatform(platform, bot).catch((err: Error) => {
              logger.warn({ platform, err: err.message, attempt }, "bot still not started; trying again");
              keepTrying(platform, bot, attempt + 1);
            });
          },
          Math.min(60_000, PLATFORM_RETRY_MS * 2 ** attempt),
        );
        timer.unref();
        retryTimers.push(timer);
      };
      const starting = Promise.all(
        [...bots].map(([platform, bot]) =>
          startPlatform(platform, bot).catch((err: Error) => {
            logger.error(
              { platform, err: err.message },
              "bot did not start; the other platforms run, and this one is tried again in the background",
            );
            keepTrying(platform, bot, 0);
          }),
        ),
      );
      // A platform that is slow to answer (retrying) does not hold up the others, nor the start.
      let waited: NodeJS.Timeout | undefined;
      const slow = await Promise.race([
        starting.then(() => false),
        new Promise<boolean>((resolve) => (waited = setTimeout(() => resolve(true), PLATFORM_START_WAIT_MS))),
      ]);
      clearTimeout(waited);
      if (slow)
        logger.warn(
          { down: [...platformUp].filter(([, up]) => !up).map(([p]) => p) },
          "not every platform has started yet; they go on starting in the background",
        );
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
        for (const t of retryTimers) clearTimeout(t);
        await Promise.all(runners.map((r) => (r.isRunning() ? r.stop() : undefined)));
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
