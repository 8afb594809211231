import { parseWhen } from "../domain/jalali-parse.js";
import type { Segment } from "../domain/segment.js";
import { isProvince, isRole, isSkill } from "../domain/taxonomy.js";
import { PLATFORMS, type Platform } from "../platforms/capabilities.js";
import { createBroadcast } from "../services/broadcast.js";
import type { Language, Store } from "../store/port/index.js";
import type { DeliveryEngine } from "../delivery/index.js";
import type { SendBudget } from "../delivery/budget/index.js";
import { listFlag, parseArgs } from "./args.js";
import type { Config } from "../config.js";
import { cliActor } from "./reference.js";
import { withRuntime, type CliIO } from "./runtime.js";

export const BROADCAST_USAGE = `Usage: hamdel broadcast --text "…" [segment flags] [--at "1405-12-01 20:00"] [--urgent] [--no-wait] [--here]

While a bot is running (its delivery engine holds the sender lease), the broadcast is queued for it and
this command shows its progress (Ctrl-C leaves it queued). With no bot running it sends from here.
  --no-wait   queue it and return at once
  --here      send from here even while a bot runs (both keep to the bot's one send budget)

Segment flags (each takes a comma list; all must match):
  --province golestan,kermanshah   --county gorgan   --skill cooking   --role mother_helper
  --source ramadan-1448   --since 2026-11-01   --language fa|en   --platform ${PLATFORMS.join("|")}
  --pledged-in ramadan-1448 (vow-of-service takers)   --veterans 3 (marked, or registered ≥ 3 years)
  --veteran-hours 100 (also: ≥ 100 hours of service in the time bank)
With no segment flag the broadcast goes to every reachable volunteer with campaign messages on.`;

/** Reads the segment flags, refusing unknown taxonomy ids. */
export function segmentFromFlags(flags: Map<string, string[]>): { segment: Segment } | { error: string } {
  const segment: Segment = {};
  const check = <T extends string>(name: string, valid: (v: string) => boolean): T[] | undefined | string => {
    const values = listFlag(flags, name);
    const bad = values?.find((v) => !valid(v));
    return bad ? `unknown ${name} "${bad}"` : (values as T[] | undefined);
  };
  const fields = [
    ["province", "provinces", isProvince],
    ["county", "counties", () => true],
    ["skill", "skills", isSkill],
    ["role", "roles", isRole],
    ["source", "sources", () => true],
    ["pledged-in", "pledgedIn", () => true],
    ["language", "languages", (v: string) => v === "fa" || v === "en"],
    ["platform", "platforms", (v: string) => PLATFORMS.includes(v as Platform)],
  ] as const;
  for (const [flag, key, valid] of fields) {
    const r = check(flag, valid);
    if (typeof r === "string") return { error: r };
    if (r) (segment as Record<string, unknown>)[key] = r as string[] | Language[];
  }
  const veterans = flags.get("veterans")?.[0];
  if (veterans !== undefined) {
    const years = Number(veterans);
    if (!Number.isInteger(years) || years < 1 || years > 50)
      return { error: `--veterans expects years of registration (1–50), got "${veterans}"` };
    segment.veterans = { minYears: years };
  }
  const hours = flags.get("veteran-hours")?.[0];
  if (hours !== undefined) {
    const n = Number(hours);
    if (!Number.isInteger(n) || n < 1 || n > 100_000)
      return { error: `--veteran-hours expects hours of service (1–100000), got "${hours}"` };
    segment.veterans = { minYears: segment.veterans?.minYears ?? 50, minHours: n };
  }
  const since = flags.get("since")?.[0];
  if (since) {
    if (Number.isNaN(Date.parse(since))) return { error: `--since expects a date such as 2026-11-01, got "${since}"` };
    segment.registeredSince = new Date(since).toISOString();
  }
  return { segment };
}

/** `hamdel broadcast`: queues a broadcast in the outbox and (unless --no-wait) sends it, printing progress. */
export async function broadcastCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const { flags, switches } = parseArgs(argv);
  const text = flags.get("text")?.[0]?.trim();
  if (!text) {
    io.error(`--text is required.\n\n${BROADCAST_USAGE}`);
    return 2;
  }
  if ([...text].length > 4096) {
    io.error("--text is longer than the 4096 characters a message may have.");
    return 2;
  }
  const parsed = segmentFromFlags(flags);
  if ("error" in parsed) {
    io.error(`${parsed.error}\n\n${BROADCAST_USAGE}`);
    return 2;
  }
  return withRuntime(
    io,
    async ({ config, store, engine, budget }) => {
      let notBefore = new Date();
      const at = flags.get("at")?.[0];
      if (at) {
        const r = parseWhen(at, config.timeZone, notBefore);
        if (!r.ok) {
          io.error(
            `--at expects a Jalali date and time such as "1405-12-01 20:00", or "فردا ساعت ۱۰" (${config.timeZone}), got "${at}"`,
          );
          return 2;
        }
        notBefore = r.value;
      }
      const { broadcast, queued } = await createBroadcast(store, {
        text,
        segment: parsed.segment,
        urgent: switches.has("urgent"),
        notBefore,
        createdBy: cliActor(),
      });
      await store.access.audit({
        actor: cliActor(),
        action: "broadcast.create",
        scope: parsed.segment.provinces?.join(",") ?? "*",
        target: broadcast.id,
        outcome: "ok",
        details: { queued, urgent: switches.has("urgent") },
      });
      io.log(`broadcast ${broadcast.id}: ${queued} recipients, not before ${notBefore.toISOString()}`);
      if (switches.has("no-wait") || queued === 0) return 0;
      if (config.bots.length === 0) {
        io.error("No bot token is configured, so nothing can be sent from here; a running hamdel will send it.");
        return 1;
      }
      return deliver(
        io,
        store,
        engine,
        budget,
        broadcast.id,
        config.bots.map((b) => b.platform),
        switches.has("here"),
      );
    },
    config,
  );
}

/** How often a queued broadcast's progress is shown, and the lease looked at again. */
const WATCH_MS = 1000;

/**
 * Sends a queued broadcast from here, or, while a bot's delivery engine
 * holds the sender lease, watches the bot send it (taking over if the bot
 * stops before it is done).
 */
async function deliver(
  io: CliIO,
  store: Store,
  engine: () => DeliveryEngine,
  budget: () => SendBudget,
  broadcastId: string,
  platforms: readonly Platform[],
  here: boolean,
): Promise<number> {
  const started = Date.now();
  const progress = async (prefix: string) => {
    const p = await store.deliveries.progress(broadcastId);
    io.log(`${prefix}sent ${p.sent}  failed ${p.failed}  unreachable ${p.unreachable}  remaining ${p.pending}`);
    return p;
  };
  const botRunning = async (): Promise<boolean | "unknown"> => {
    try {
      for (const platform of platforms) if ((await budget().liveEngines(platform)) > 0) return true;
      return false;
    } catch {
      return "unknown";
    }
  };
  if (!here) {
    let running = await botRunning();
    if (running === "unknown") {
      io.error(
        "Could not tell whether a bot is running (the send budget's store does not answer): the broadcast stays queued. Run with --here to send it from this machine.",
      );
      return 1;
    }
    if (running)
      io.log("A running bot is sending (it holds the sender lease): queued for it. Ctrl-C leaves it queued.");
    while (running === true) {
      const p = await progress("bot: ");
      if (p.pending === 0) return done(io, store, broadcastId, started);
      await new Promise((r) => setTimeout(r, WATCH_MS));
      running = await botRunning();
      if (running === false) io.log("No bot is sending any more: sending the rest from here.");
    }
  }
  budget().start({ engine: true });
  let last = 0;
  await engine().drain(broadcastId, async () => {
    if (Date.now() - last < WATCH_MS) return;
    last = Date.now();
    await progress("");
  });
  return done(io, store, broadcastId, started);
}

async function done(io: CliIO, store: Store, broadcastId: string, started: number): Promise<number> {
  const p = await store.deliveries.progress(broadcastId);
  const seconds = (Date.now() - started) / 1000;
  io.log(`done in ${seconds.toFixed(1)} s: sent ${p.sent}, failed ${p.failed}, unreachable ${p.unreachable}`);
  return 0;
}
