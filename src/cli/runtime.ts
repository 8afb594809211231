import { Api } from "grammy";
import { CommandMenus } from "../bot/command-menu.js";
import { loadConfig, ConfigError, type Config } from "../config.js";
import { createDeliveryEngine, type DeliveryEngine } from "../delivery/index.js";
import type { SendBudget } from "../delivery/budget/index.js";
import { createI18n, type I18n } from "../i18n.js";
import { createLogger, type Logger } from "../logger.js";
import { PiiCipher, resolvePiiKey } from "../security/pii.js";
import { actorsOf } from "../services/access.js";
import { pledgePersonalizer } from "../services/campaigns.js";
import { openStore } from "../store/index.js";
import type { Store } from "../store/port/index.js";

export interface CliIO {
  log(message: string): void;
  error(message: string): void;
}

export interface Runtime {
  config: Config;
  store: Store;
  logger: Logger;
  i18n: I18n;
  /** The delivery engine, built on first use. */
  engine(): DeliveryEngine;
  /** The bots' send budget (the engine's), shared with every running process. */
  budget(): SendBudget;
  /** The bots' command menus, set through each configured token (none in the playground). */
  menus(): CommandMenus;
}

/** The configuration for a CLI command; `null` (after saying why) when the environment does not fit. */
export function cliConfig(io: CliIO, given?: Config): Config | null {
  if (given) return given;
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      io.error(e.message);
      return null;
    }
    throw e;
  }
}

/** Opens config and store for one CLI command, and closes them after. */
export async function withRuntime(io: CliIO, run: (rt: Runtime) => Promise<number>, given?: Config): Promise<number> {
  const config = cliConfig(io, given);
  if (!config) return 2;
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const key = resolvePiiKey(config.piiKey, config.piiKeyFile, (path) => logger.warn({ path }, "generated a PII key"));
  const store = await openStore(config, new PiiCipher(key), logger);
  let delivery: ReturnType<typeof createDeliveryEngine> | undefined;
  try {
    const i18n = await createI18n();
    const label = i18n.t("fa")("notify.opt_out_button");
    const open = () =>
      (delivery ??= createDeliveryEngine(config!, store, logger, {
        optOutLabel: label,
        imInLabel: i18n.t("fa")("broadcast.im_in_button"),
        idleMs: 200,
        personalize: pledgePersonalizer(store, i18n),
      }));
    const apis = new Map(
      config.bots.map(
        (b) =>
          [b.platform, new Api(b.token, { apiRoot: b.apiRoot, timeoutSeconds: config.botApiTimeoutSeconds })] as const,
      ),
    );
    const menus = new CommandMenus({ store, actors: actorsOf(store, config.adminIds), i18n, logger }, (platform) =>
      apis.get(platform),
    );
    return await run({
      config,
      store,
      logger,
      i18n,
      engine: () => open().engine,
      budget: () => open().budget,
      menus: () => menus,
    });
  } finally {
    await delivery?.close();
    await store.close();
  }
}
