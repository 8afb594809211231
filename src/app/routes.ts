import type { Config } from "../config.js";
import { consoleHandler, createConsole } from "../console/index.js";
import type { LinkDeps } from "../console/links.js";
import { Sessions, type ConsoleSession } from "../console/session.js";
import type { AppDeps } from "../deps.js";
import { bearerMatches } from "../server/auth.js";
import { mountHealth } from "../server/health.js";
import type { HttpServer } from "../server/http.js";
import { mountVerifyPage } from "../server/verify.js";
import type { Platforms } from "./platforms.js";

/**
 * The HTTP routes every process serves besides the webhooks (mounted at
 * start) and the playground's: health and readiness (the store, the state,
 * each platform), metrics (behind METRICS_TOKEN when set), the console and
 * the public `/verify` page.
 */
export async function mountRoutes(
  server: HttpServer,
  deps: AppDeps,
  platforms: Platforms,
  config: Config,
  links: LinkDeps,
): Promise<void> {
  const { store, state, metrics, i18n, logger } = deps;
  mountHealth(
    server,
    { store: () => store.ping() },
    {
      state: () => state.ping(),
      ...Object.fromEntries(
        config.bots.map((b) => [
          b.platform,
          async () => {
            if (!platforms.isUp(b.platform)) throw new Error("not started");
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
    trustProxy: config.trustProxy,
    secure: config.publicUrl?.startsWith("https://") ?? false,
    inviteLinks: (payload) => platforms.deepLinks(payload),
  });
  server.route("*", "/console*", consoleHandler(consoleApp), { raw: true });
  mountVerifyPage(server, store, i18n, logger, {
    takeToken: (key, burst, perSecond) => state.takeToken(key, burst, perSecond),
    trustProxy: config.trustProxy,
    onRefused: () => metrics.refused.inc({ defence: "verify_rate" }),
  });
}
