import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";

/** What a newcomer sees when no bot token is set yet. */
const NO_TOKEN_HELP = `
Hamdel has no bot token configured, so there is nothing to connect to.

Set at least one of these (in the environment or in a .env file; see .env.example):
  TELEGRAM_BOT_TOKEN=123456:ABC...      a token from @BotFather
  BALE_BOT_TOKEN=123456:ABC...          a token from @BotFather on Bale

To talk to a local Bot-API-compatible server instead of the real platforms, also set
  TELEGRAM_API_ROOT=http://127.0.0.1:8081   and/or   BALE_API_ROOT=http://127.0.0.1:8081

Then run again: npm start
`;

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  if (config.bots.length === 0) {
    console.error(NO_TOKEN_HELP);
    process.exit(1);
  }
  const app = await createApp(config);
  const shutdown = (signal: string) => {
    app.deps.logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  await app.start();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
