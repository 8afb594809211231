/**
 * `npm run bench:load`: the real process (`src/main.ts`) in webhook mode,
 * driven over HTTP by many simulated people registering at once, against a
 * local Bot-API-compatible server (the playground's simulator, in this
 * process). Each person sends the 18 updates of a full registration (texts,
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
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/logger.js";
import { BotApiSimulator } from "../../src/playground/bot-api/simulator.js";
import { mountBotApi } from "../../src/playground/bot-api/server.js";
import { HttpServer } from "../../src/server/http.js";

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 50);
const WARMUP_USERS = 30;
/** BENCH_STEPS=n: only the first n updates of each registration (to see how cost grows with the steps). */
const STEPS = Number(process.env.BENCH_STEPS ?? 18);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const TOKEN = "4004:bench-load-token";
const SECRET = "bench-load-secret-0123456789";
const print = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

// The Bot API server without its webhook pump: this script posts the updates itself, timing each.
const sim = new BotApiSimulator();
sim.addBot(TOKEN, "telegram");
const apiServer = new HttpServer(createLogger("silent"));
mountBotApi(apiServer, sim, createLogger("silent"));
const apiRoot = `http://127.0.0.1:${await apiServer.listen(0, "127.0.0.1")}`;

/** A valid national ID for person `n` (10 digits, Iran's checksum). */
function nationalId(n: number): string {
  const body = String(100_000_000 + n).slice(-9);
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11;
  return body + String(sum < 2 ? sum : 11 - sum);
}

type Step = { text: string } | { contact: string } | { tap: string };
const registration = (n: number): Step[] => [
  { text: "/start" },
  { tap: "r:consent:yes" },
  { text: "مریم احمدی" },
  // A number of their own: a number already registered is «in use» (ids are 10M, 20M + r×1M…, plus < 100k).
  { contact: `+98912${String((Math.floor(n / 1_000_000) * 100_000 + (n % 100_000)) % 10_000_000).padStart(7, "0")}` },
  { text: nationalId(n) },
  { tap: "r:dec:1360" },
  { tap: "r:yr:1368" },
  { tap: "r:g:female" },
  { tap: "r:p:golestan" },
  { tap: "r:c:gorgan" },
  { text: "شهرک بهاران" },
  { tap: "r:s:infant_care" },
  { tap: "r:sd" },
  { tap: "r:r:mother_helper" },
  { tap: "r:rd" },
  { tap: "r:a:sat.morning" },
  { tap: "r:h:4" },
  { tap: "r:ok" },
];

/**
 * The Telegram update for one step of user `id`, made by the simulator (so
 * that ids, entities and button presses are as the platform makes them) and
 * taken from its queue to be posted here; a tap presses the newest bot
 * message with that button (for the bare bot: its newest message).
 */
function updateFor(id: number, step: Step, bare: boolean): object {
  const user = { id, first_name: "Maryam", language_code: "fa" };
  if ("text" in step) sim.sendText(TOKEN, user, step.text);
  else if ("contact" in step) sim.sendContact(TOKEN, user, step.contact);
  else {
    const messages = sim.botMessages(TOKEN, id);
    const hasButton = (m: (typeof messages)[number]) =>
      (m.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard?.some(
        (row) => row.some((button) => button.callback_data === step.tap),
      );
    const message = bare ? messages.at(-1) : messages.findLast(hasButton);
    if (!message) throw new Error(`user ${id}: no message with button ${step.tap}`);
    sim.press(TOKEN, user, message.message_id, step.tap);
  }
  return sim.bot(TOKEN).updates.shift()!;
}

/**
 * Posts over `node:http` with keep-alive connections: this process is the
 * platform and shares the machine with the bot, so its own cost (the global
 * `fetch` took twice the CPU) is kept low.
 */
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT * 2 });
function post(port: number, update: object): Promise<number> {
  const started = performance.now();
  const body = JSON.stringify(update);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path: "/webhook/telegram",
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-telegram-bot-api-secret-token": SECRET,
        },
      },
      (res) => {
        res.resume();
        res.on("error", reject);
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`webhook answered ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

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

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: clock ticks (100 Hz)
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
      for (const step of registration(id).slice(0, STEPS)) latencies.push(await post(port, updateFor(id, step, bare)));
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

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
};
const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
const redisUp = () =>
  new Promise<boolean>((resolve) => {
    const u = new URL(REDIS_URL);
    const s = createConnection({ host: u.hostname, port: Number(u.port || 6379) }, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });

async function startProcess(args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  child.on("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM")
      console.error(`${args.at(-1)} exited (${code ?? signal}):\n${output.slice(-3000)}`);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited: ${output}`);
    // The bare bot says when it listens; Hamdel answers /healthz.
    if (/^PORT /m.test(output)) break;
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`process did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

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
const withRedis = await redisUp();
const dataDir = mkdtempSync(join(tmpdir(), "hamdel-load-"));
const hamdelPort = await freePort();
console.log(
  `bench:load — ${USERS} people registering (18 updates each), ${CONCURRENT} at a time, in rounds alternating with the baseline; ` +
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
    QUIET_HOURS: "off",
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
  },
  hamdelPort,
);
// Wait for the webhook registration, then let start-up settle before reading the idle memory.
while (!sim.bot(TOKEN).webhook) await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 3000));
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
