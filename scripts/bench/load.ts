/**
 * `npm run bench:load`: the real process (`src/main.ts`) in webhook mode,
 * driven over HTTP by many simulated people registering at once, against a
 * local Bot-API-compatible server (the playground's simulator, in this
 * process). Each person sends the 16 updates of a full registration (texts,
 * a shared contact, button presses), one after another, each as soon as the
 * previous one was answered (its webhook POST returned); BENCH_CONCURRENT
 * people at a time, BENCH_USERS in all. Measured per update: the webhook
 * round trip (handling included: grammY answers the POST when the handler
 * is done). Baseline, same run, same updates, same Bot API server: a bare
 * grammY bot (`scripts/bench/bare-bot.ts`) that answers each with one
 * message, driven in BENCH_ROUNDS rounds alternating with Hamdel's. Also: the process's resident memory idle (after start-up, before
 * load) and at peak (VmHWM), from /proc, and the CPU time per update of each
 * bot's process and of this one (the load generator and the Bot API server).
 *
 * Redis is used when reachable at BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379), as in production; the store is the embedded one.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/logger.js";
import { BotApiSimulator } from "../../src/playground/bot-api/simulator.js";
import { mountBotApi } from "../../src/playground/bot-api/server.js";
import { HttpServer } from "../../src/server/http.js";
import {
  cpuSeconds,
  freePort,
  memory,
  pct,
  postAndWait,
  print,
  redisUp,
  registration,
  startProcess,
  stop,
} from "./support/webhook.js";

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 50);
const WARMUP_USERS = Number(process.env.BENCH_WARMUP ?? 30);
/** BENCH_STEPS=n: only the first n updates of each registration (to see how cost grows with the steps). */
const STEPS = Number(process.env.BENCH_STEPS ?? registration(0).length);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const TOKEN = "4004:bench-load-token";
const SECRET = "bench-load-secret-0123456789";

// The Bot API server without its webhook pump: this script posts the updates itself, timing each.
const sim = new BotApiSimulator();
sim.addBot(TOKEN, "telegram");
const apiServer = new HttpServer(createLogger("silent"));
mountBotApi(apiServer, sim, createLogger("silent"));
const apiRoot = `http://127.0.0.1:${await apiServer.listen(0, "127.0.0.1")}`;

interface Run {
  updates: number;
  seconds: number;
  latencies: number[];
  /** Bot API calls the bot made during the run. */
  apiCalls: number;
  /** CPU time the bot's process used during the run (user + system). */
  cpuSeconds: number;
  /** CPU time this process (the load generator and the Bot API server) used during the run. */
  driverCpuSeconds: number;
}

/** `users` people from `firstId` register, `CONCURRENT` at a time. */
async function drive(bot: ChildProcess, port: number, firstId: number, users: number, bare: boolean): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const callsBefore = sim.calls.length;
  const cpuBefore = cpuSeconds(bot.pid!);
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const person = async () => {
    while (next < users) {
      const n = next++;
      const id = firstId + n;
      sim.openChat(TOKEN, { id, first_name: "Maryam" });
      const steps = registration(id).slice(0, STEPS);
      for (const [i, step] of steps.entries())
        latencies.push(await postAndWait(sim, TOKEN, port, SECRET, id, step, steps[i + 1], 30_000, bare));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, users) }, person));
  return {
    updates: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies,
    apiCalls: sim.calls.length - callsBefore,
    cpuSeconds: cpuSeconds(bot.pid!) - cpuBefore,
    driverCpuSeconds: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(driverBefore)),
  };
}

const report = (label: string, run: Run) => {
  print(`${label}: updates handled`, `${run.updates}`);
  print(`${label}: updates/s`, (run.updates / run.seconds).toFixed(0));
  print(`${label}: Bot API calls per update`, (run.apiCalls / run.updates).toFixed(2));
  const perUpdate = (seconds: number) => `${((seconds / run.updates) * 1000).toFixed(2)} ms`;
  print(`${label}: process CPU time per update`, perUpdate(run.cpuSeconds));
  print(`${label}: load generator + Bot API server CPU per update`, perUpdate(run.driverCpuSeconds));
  print(
    `${label}: p50 / p99 webhook round trip`,
    `${pct(run.latencies, 50).toFixed(1)} ms / ${pct(run.latencies, 99).toFixed(1)} ms`,
  );
};

// ── Hamdel ──────────────────────────────────────────────────────────────────
const withRedis = await redisUp(REDIS_URL);
const dataDir = mkdtempSync(join(tmpdir(), "hamdel-load-"));
const hamdelPort = await freePort();
console.log(
  `bench:load — ${USERS} people registering (${STEPS} updates each), ${CONCURRENT} at a time, in rounds alternating with the baseline; ` +
    `embedded store, ${withRedis ? "Redis state" : "embedded state (Redis not reachable)"}\n`,
);
// BENCH_PROFILE=dir writes a V8 CPU profile of the Hamdel process there (open it in Chrome's DevTools).
const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const hamdel = await startProcess(
  [...profile, ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "src/main.ts"],
  {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    BOT_MODE: "webhook",
    PUBLIC_URL: `http://127.0.0.1:${hamdelPort}`,
    WEBHOOK_SECRET: SECRET,
    PORT: String(hamdelPort),
    DATA_DIR: dataDir,
    PII_KEY: "bench-load-pii-key-0123456789abcdefghij",
    ...(withRedis ? { REDIS_URL, REDIS_PREFIX: `bench-load-${Date.now()}:` } : {}),
    // Scripted people answer faster than anyone can type: no flood protection in the way.
    FLOOD_BURST: "100000",
    // Nor the pace of replies to one chat: a person who answers every question within the same second is a script.
    REPLY_BURST: "100000",
    // This Bot API server has no limit, and this measures the bot's own cost: no send budget in the way either
    // (`bench:surge` measures the budget against a server that enforces one).
    TELEGRAM_SEND_RATE: "1000",
    QUIET_HOURS: "off",
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
  },
  hamdelPort,
);
// Wait for the webhook registration, then let start-up settle before reading the idle memory.
while (!sim.bot(TOKEN).webhook) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_MS ?? 3000)));
const idle = memory(hamdel.pid!);

// ── bare grammY, started beside it (idle while Hamdel is driven, and the other way round) ──
const barePort = await freePort();
const bare = await startProcess(
  ["--import", "tsx", "scripts/bench/bare-bot.ts"],
  { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, WEBHOOK_SECRET: SECRET, PORT: String(barePort) },
  barePort,
);
const bareIdle = memory(bare.pid!);
await drive(hamdel, hamdelPort, 10_000_000, WARMUP_USERS, false);
await drive(bare, barePort, 30_000_000, WARMUP_USERS, true);

/**
 * The people are driven in ROUNDS, alternating Hamdel and the bare bot, so
 * that both see the same machine: this shared machine's speed drifts by
 * ±20 % over minutes, which a single run of each would take for a difference.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const perRound = Math.ceil(USERS / ROUNDS);
const hamdelRuns: Run[] = [];
const bareRuns: Run[] = [];
for (let r = 0; r < ROUNDS; r++) {
  hamdelRuns.push(await drive(hamdel, hamdelPort, 20_000_000 + r * 1_000_000, perRound, false));
  bareRuns.push(await drive(bare, barePort, 40_000_000 + r * 1_000_000, perRound, true));
}
const peak = memory(hamdel.pid!);
const registered = hamdelRuns.reduce(
  (n, _, r) =>
    n +
    Array.from({ length: perRound }, (_, i) => sim.botMessages(TOKEN, 20_000_000 + r * 1_000_000 + i)).filter((ms) =>
      ms.some((m) => /HM-/.test(m.text ?? "")),
    ).length,
  0,
);
await stop(hamdel);
await stop(bare);
await apiServer.close();
rmSync(dataDir, { recursive: true, force: true });

const total = (runs: Run[]): Run => ({
  updates: runs.reduce((n, x) => n + x.updates, 0),
  seconds: runs.reduce((n, x) => n + x.seconds, 0),
  latencies: runs.flatMap((x) => x.latencies),
  apiCalls: runs.reduce((n, x) => n + x.apiCalls, 0),
  cpuSeconds: runs.reduce((n, x) => n + x.cpuSeconds, 0),
  driverCpuSeconds: runs.reduce((n, x) => n + x.driverCpuSeconds, 0),
});
const rate = (run: Run) => run.updates / run.seconds;
const hamdelRun = total(hamdelRuns);
const bareRun = total(bareRuns);
report("hamdel", hamdelRun);
print("hamdel: registrations completed (volunteer code sent)", `${registered} / ${perRound * ROUNDS}`);
report("bare grammY", bareRun);
const ratios = hamdelRuns.map((h, r) => rate(h) / rate(bareRuns[r]!)).sort((a, b) => a - b);
print(`ratio hamdel / bare grammY, each of ${ROUNDS} rounds`, ratios.map((x) => x.toFixed(2)).join(" "));
print("ratio hamdel / bare grammY (updates/s, all rounds)", (rate(hamdelRun) / rate(bareRun)).toFixed(2));
print(
  "ratio of CPU time per update, bare grammY / hamdel",
  (bareRun.cpuSeconds / bareRun.updates / (hamdelRun.cpuSeconds / hamdelRun.updates)).toFixed(2),
);
print("hamdel resident memory: idle / peak", `${idle.rss.toFixed(0)} MB / ${peak.peak.toFixed(0)} MB`);
print("bare grammY resident memory: idle", `${bareIdle.rss.toFixed(0)} MB`);
// A registration that did not finish is a broken benchmark (or product), not a figure.
if (STEPS === registration(0).length && registered < perRound * ROUNDS) {
  console.error(`bench:load: only ${registered} of ${perRound * ROUNDS} registrations finished`);
  process.exitCode = 1;
}
