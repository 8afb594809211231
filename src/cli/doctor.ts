import { Api } from "grammy";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { createLogger } from "../logger.js";
import { PiiCipher, resolvePiiKey } from "../security/pii.js";
import { createState } from "../state/index.js";
import { openStore } from "../store/index.js";
import { envKeys } from "../domain/platform.js";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const check = async (name: string, run: () => Promise<string>): Promise<Check> => {
  try {
    return { name, ok: true, detail: await run() };
  } catch (e) {
    return { name, ok: false, detail: (e as Error).message };
  }
};

/** Checks configuration, the store, Redis and each bot token (getMe); never prints secrets. */
export async function runDoctor(config: Config, fetchImpl?: typeof fetch): Promise<Check[]> {
  const logger = createLogger("silent");
  const checks: Check[] = [
    {
      name: "config",
      ok: true,
      detail: `mode=${config.mode}, port=${config.port}, bots=${config.bots.map((b) => b.platform).join("+") || "none"}`,
    },
  ];
  checks.push(
    await check(`store (${config.store.kind})`, async () => {
      const key = resolvePiiKey(config.piiKey, config.piiKeyFile, () => undefined);
      const store = await openStore(config, new PiiCipher(key));
      try {
        await store.ping();
        return `${await store.people.count()} people`;
      } finally {
        await store.close();
      }
    }),
  );
  checks.push(
    await check(`state (${config.redis ? "redis" : "embedded"})`, async () => {
      const state = createState(config, logger);
      try {
        await state.ping();
        if (config.redis) return `reachable, prefix ${config.redis.prefix}`;
        return `${state.kind} (single worker only; set REDIS_URL to run several)`;
      } finally {
        await state.close();
      }
    }),
  );
  for (const bot of config.bots) {
    checks.push(
      await check(`${bot.platform} bot`, async () => {
        const api = new Api(bot.token, {
          apiRoot: bot.apiRoot,
          ...(fetchImpl ? { fetch: fetchImpl } : {}),
          timeoutSeconds: 10,
        });
        const me = await api.getMe();
        return `@${me.username} via ${bot.apiRoot}`;
      }),
    );
  }
  if (config.bots.length === 0) checks.push({ name: "bots", ok: false, detail: `no ${envKeys("BOT_TOKEN")} set` });
  return checks;
}

export async function doctorCommand(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.log(`✗ config\n${e.message}`);
      return 2;
    }
    throw e;
  }
  const checks = await runDoctor(config);
  for (const c of checks) console.log(`${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}
