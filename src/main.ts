import { seedScreeningDemo } from "./playground/demo-screening.js";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { createApp, type App } from "./app.js";
import { Playground, playgroundConfig } from "./playground/index.js";
import { markRealData, playgroundHostWarning, playgroundRefusal } from "./playground/guard.js";
import { importCentres, importInstitutions } from "./services/reference-data.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { PROVINCIAL_PERSONA, STAFF_PLATFORM } from "./playground/data/simulated-users.js";
import { installProcessGuards } from "./runtime/process-guards.js";
import { shiftedClock } from "./domain/clock.js";
import { envKeys, PLATFORMS } from "./domain/platform.js";

/** How to leave the playground for the real platforms. */
const REAL_BOT_HELP =
  "No bot token is set, so Hamdel runs its local playground. To connect to the real platforms, set " +
  `${envKeys("BOT_TOKEN", " and/or ")} (see .env.example) and run npm start again.`;

/** A port the OS says is free, for PORT=0 in playground mode (its bots need the number). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });

const sampleDir = fileURLToPath(new URL("../scripts/sample-data/", import.meta.url));

/** An empty playground store gets the pilot provinces' sample centres and institutions (and staff roles). */
async function loadSampleData(store: App["deps"]["store"]): Promise<void> {
  if ((await store.centres.listCentres()).length > 0) return;
  await importInstitutions(store, readFileSync(`${sampleDir}institutions.csv`, "utf8"), "playground");
  await importCentres(store, readFileSync(`${sampleDir}centres.csv`, "utf8"), "playground");
  await store.access.grant({
    platform: STAFF_PLATFORM,
    userId: PROVINCIAL_PERSONA.userId,
    role: "provincial_admin",
    scope: PROVINCIAL_PERSONA.province,
    grantedBy: "playground",
  });
  // A «مادریار» who sent a clearance certificate: the operator persona has a document to review.
  await seedScreeningDemo(store, new Date());
  // The staff personas hold the same roles on every messenger: a coordinator can be tried on each.
  for (const grant of await store.access.list())
    if (grant.platform === STAFF_PLATFORM)
      for (const platform of PLATFORMS.filter((p) => p !== STAFF_PLATFORM))
        await store.access.grant({ ...grant, platform, grantedBy: "playground" });
}

async function build(config: Config, playground: boolean): Promise<App> {
  if (!playground) {
    markRealData(config);
    return createApp(config);
  }
  const refusal = playgroundRefusal(config);
  if (refusal) {
    console.error(refusal);
    process.exit(2);
  }
  const port = config.port || (await freePort());
  const pg = new Playground(config);
  // The playground's clock can be moved ahead from the page, to show a day of service in one sitting.
  const clock = shiftedClock();
  const app = await createApp(playgroundConfig(config, port), {
    mount: (server, deps) => pg.mount(server, deps.logger, deps.store, deps.i18n),
    host: config.playgroundHost,
    clock,
  });
  pg.useClock({
    clock,
    afterMove: async () => {
      await app.runJobs();
      while ((await app.engine.runOnce()) > 0);
    },
  });
  return {
    ...app,
    async start() {
      await loadSampleData(app.deps.store);
      const bound = await app.start();
      const warning = playgroundHostWarning(config.playgroundHost);
      if (warning) app.deps.logger.warn({ host: config.playgroundHost }, warning);
      app.deps.logger.info(
        { url: `http://localhost:${bound}/`, host: config.playgroundHost },
        `playground ready: open http://localhost:${bound}/ (a local trial only)`,
      );
      app.deps.logger.info(REAL_BOT_HELP);
      return bound;
    },
  };
}

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
  const app = await build(config, process.argv.includes("--playground") || config.bots.length === 0);
  installProcessGuards(process, {
    logger: app.deps.logger,
    faults: app.deps.metrics.processFaults,
    beforeExit: () => app.stop(),
  });
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
