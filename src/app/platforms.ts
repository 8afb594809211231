import type { RunnerHandle } from "@grammyjs/runner";
import type { Api, Bot } from "grammy";
import type { BotContext } from "../bot/context.js";
import type { CommandMenus } from "../bot/command-menu.js";
import type { Config } from "../config.js";
import { inLane } from "../delivery/budget/index.js";
import type { Logger } from "../logger.js";
import { capabilitiesOf, type Platform } from "../platforms/capabilities.js";
import { startPolling } from "../runtime/polling.js";
import { registerWebhook } from "../runtime/webhook.js";

/** The first wait before a platform whose start failed is tried again (doubling, up to a minute). */
export const PLATFORM_RETRY_MS = 2000;
/** How long the start waits for every platform before going on with those that are up. */
export const PLATFORM_START_WAIT_MS = 5000;

/**
 * The registry of each platform's bot: made empty with the dependencies
 * (which the bots need), filled when the bots are made, and read by whatever
 * sends outside an update (the broadcast monitor, the command menus, the
 * admins' notices, deep links) — one place instead of a closure each.
 */
export class Platforms {
  readonly bots = new Map<Platform, Bot<BotContext>>();
  /** Each platform's bot: `up` once started here; until then (or after a failed start, retried) `down`. */
  readonly #up = new Map<Platform, boolean>();
  readonly #runners: RunnerHandle[] = [];
  readonly #retryTimers: NodeJS.Timeout[] = [];
  #stopping = false;

  add(platform: Platform, bot: Bot<BotContext>): void {
    this.bots.set(platform, bot);
    this.#up.set(platform, false);
  }

  api(platform: Platform): Api | undefined {
    return this.bots.get(platform)?.api;
  }

  /** Started here, or (a test's harness, a delivery worker) initialised by its owner. */
  isUp(platform: Platform): boolean {
    return (this.#up.get(platform) ?? false) || (this.bots.get(platform)?.isInited() ?? false);
  }

  /** A deep link on every running bot (an invitation, a centre's check-in). */
  deepLinks(payload: string): { platform: Platform; url: string }[] {
    return [...this.bots]
      .filter(([, bot]) => bot.isInited())
      .sort(([a], [b]) => capabilitiesOf(a).linkRank - capabilitiesOf(b).linkRank)
      .map(([platform, bot]) => ({
        platform,
        url: `${capabilitiesOf(platform).deepLinkBase}${bot.botInfo.username}?start=${payload}`,
      }));
  }

  /** Tells every national admin (ADMIN_IDS) something, on their own platform (except `avoid`). */
  async notifyAdmins(config: Config, logger: Logger, text: string, avoid?: Platform): Promise<void> {
    for (const admin of config.adminIds) {
      const api = this.api(admin.platform);
      if (admin.platform === avoid || !api) continue;
      await inLane("urgent", () => api.sendMessage(admin.userId, text)).catch((err: Error) =>
        logger.warn({ err: err.message, admin: admin.platform }, "admin not notified"),
      );
    }
  }

  /**
   * Starts every platform's bot; a failure (its API unreachable, its token
   * refused) stops only that platform, which is tried again in the
   * background, waiting longer each time (up to a minute), until it starts
   * or the app stops. Waits at most {@link PLATFORM_START_WAIT_MS} for all.
   */
  async start(d: { config: Config; logger: Logger; menus: CommandMenus }, takesUpdates: boolean): Promise<void> {
    const { config, logger, menus } = d;
    const startOne = async (platform: Platform, bot: Bot<BotContext>) => {
      await bot.init();
      if (takesUpdates) {
        await menus.registerDefault(platform);
        // Each role holder's own menu, in the background: a few hundred calls need not hold up the start.
        void menus
          .refreshHolders(platform)
          .catch((err: Error) => logger.warn({ platform, err: err.message }, "coordinators' menus not set"));
        if (config.mode === "webhook") await registerWebhook(bot, platform, config.publicUrl!, config.webhookSecret!);
        else this.#runners.push(await startPolling(bot, platform));
      }
      this.#up.set(platform, true);
      logger.info({ platform, username: bot.botInfo.username, mode: config.mode }, "bot started");
    };
    const keepTrying = (platform: Platform, bot: Bot<BotContext>, attempt: number) => {
      const timer = setTimeout(
        () => {
          if (this.#stopping) return;
          startOne(platform, bot).catch((err: Error) => {
            logger.warn({ platform, err: err.message, attempt }, "bot still not started; trying again");
            keepTrying(platform, bot, attempt + 1);
          });
        },
        Math.min(60_000, PLATFORM_RETRY_MS * 2 ** attempt),
      );
      timer.unref();
      this.#retryTimers.push(timer);
    };
    const starting = Promise.all(
      [...this.bots].map(([platform, bot]) =>
        startOne(platform, bot).catch((err: Error) => {
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
        { down: [...this.#up].filter(([, up]) => !up).map(([p]) => p) },
        "not every platform has started yet; they go on starting in the background",
      );
  }

  /** Stops taking updates (the retries and the polling runners); running handlers finish. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const t of this.#retryTimers) clearTimeout(t);
    await Promise.all(this.#runners.map((r) => (r.isRunning() ? r.stop() : undefined)));
  }
}
