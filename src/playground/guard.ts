import { existsSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import type { Config } from "../config.js";
import { privateDir } from "../security/files.js";
import type { RequestGuard } from "../server/http.js";
import { crossSite } from "../server/origin.js";
import { envKeys } from "../domain/platform.js";

/**
 * The playground is for a local trial only. Anyone who reaches it can act as
 * any simulated user — the coordinators of ADMIN_IDS included — so it must
 * never open onto real volunteers' data: not a production database, not the
 * embedded store a real bot has used, and not beside a real token.
 */

/** Written into DATA_DIR when a real bot (a configured token) first runs on it. */
export const REAL_BOT_MARKER = "real-bot-data";

/** Marks an embedded store as holding a real bot's data (the playground then refuses it). */
export function markRealData(config: Config): void {
  if (config.store.kind !== "sqlite" || config.bots.length === 0) return;
  const marker = join(config.dataDir, REAL_BOT_MARKER);
  if (existsSync(marker)) return;
  privateDir(config.dataDir);
  writeFileSync(marker, `${config.bots.map((b) => b.platform).join(",")} ${new Date().toISOString()}\n`, {
    mode: 0o600,
  });
}

/** Why the playground may not start with this configuration, or `null` when it may. */
export function playgroundRefusal(config: Config): string | null {
  if (config.bots.length > 0)
    return (
      `The playground does not start while a bot token is set (${envKeys("BOT_TOKEN", " / ")}): it is a local ` +
      "trial beside real platforms' data. Unset the tokens to try Hamdel locally, or drop --playground to run the bot."
    );
  if (config.store.kind === "mongo")
    return (
      "No bot token is set, and MONGODB_URI is: the playground never runs against a production database. Set " +
      `${envKeys("BOT_TOKEN", " and/or ")} to run the bot, or unset MONGODB_URI for a local trial.`
    );
  if (existsSync(join(config.dataDir, REAL_BOT_MARKER)))
    return (
      `No bot token is set, and DATA_DIR (${config.dataDir}) holds the data of a real bot: the playground never opens ` +
      "real volunteers' data. Set the bot's token to run it, or point DATA_DIR at another folder for a local trial " +
      "(e.g. DATA_DIR=./playground-data npm start)."
    );
  return null;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** A warning when the playground is made reachable from other machines, or `null`. */
export function playgroundHostWarning(host: string): string | null {
  return LOOPBACK.has(host)
    ? null
    : `PLAYGROUND_HOST=${host}: the playground is reachable from other machines, and anyone who reaches it can act ` +
        "as any simulated user, coordinators included. Use it on a trusted network only, with trial data only.";
}

/** A Host header's name without its port (`[::1]:8080` → `::1`), lower-cased; null when there is none. */
function hostName(host: string | undefined): string | null {
  if (!host) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return host.replace(/:\d+$/, "").toLowerCase();
}

/**
 * The playground's requests are the local page's own, and the bots' own Bot API calls:
 *
 * - **DNS rebinding:** a page on a name the attacker controls, re-pointed at 127.0.0.1, reaches
 *   this server with that name as its Host. Only `localhost`, an IP address (no name can be
 *   re-pointed), or PLAYGROUND_HOST are served; anything else is 421.
 * - **Cross-site requests:** a page elsewhere may POST here (a form, `fetch` with no-cors). A
 *   request that changes something must come from this origin (`crossSite`), else it is 403.
 *   Requests with neither header (the bots' API calls, curl) are not from a browser page.
 */
export function playgroundRequestGuard(playgroundHost: string): RequestGuard {
  const named = playgroundHost.toLowerCase();
  return (req) => {
    const host = hostName(req.headers.host);
    if (!host || !(host === "localhost" || isIP(host) !== 0 || host === named))
      return { status: 421, error: "this playground serves localhost and IP addresses only" };
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;
    return crossSite(req.headers) ? { status: 403, error: "cross-site request refused" } : null;
  };
}
