/**
 * `npm run bench:surge`: replies before broadcasts, within the platform's
 * limit. The real process (`src/main.ts`, webhook mode) against a local
 * Bot-API-compatible server (the playground's simulator, in this process)
 * that enforces a total of BENCH_LIMIT (30) messages a second for the token:
 * a message call that would make more in the last second is answered 429
 * with retry_after 1.
 *
 * 1. Idle: BENCH_PEOPLE (20) people register at once, each posting the next
 *    update as soon as the bot's reply to the previous one arrived (its
 *    latency: from the post to that reply; the webhook itself answers within
 *    WEBHOOK_HOLD_MS even while a reply still waits for the budget).
 * 2. Surge: a broadcast to BENCH_RECIPIENTS (3,000) synthetic volunteers is
 *    queued with the CLI (`broadcast --no-wait`: the running bot sends it),
 *    at the limit (TELEGRAM_SEND_RATE = TELEGRAM_BROADCAST_RATE = 30); once
 *    it is sending, as many new people register at once.
 *
 * Prints the reply latency p50/p95/p99 of both phases and their ratio, the
 * 429s, the broadcast's rate while people chat and after they stop, the
 * share of the limit used while the broadcast runs, and whether every
 * recipient got it exactly once; then each goal, met or not.
 *
 * BENCH_REDIS=redis://…: the send budget (and state) in Redis instead of
 * DATA_DIR/send-budget.db.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEED_USER_ID_BASE, seedDemo } from "../../src/cli/seed-demo.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { mountBotApi } from "../../src/playground/bot-api/server.js";
import { BotApiSimulator, densestWindow } from "../../src/playground/bot-api/simulator.js";
import { PiiCipher } from "../../src/security/pii.js";
import { HttpServer } from "../../src/server/http.js";
import { openStore } from "../../src/store/index.js";
import { freePort, pct, postAndWait, print, registration, startProcess, stop } from "./support/webhook.js";
import { judge, type Goal } from "./support/goals.js";

const LIMIT = Number(process.env.BENCH_LIMIT ?? 30);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 3000);
const REDIS_URL = process.env.BENCH_REDIS;
const TOKEN = "5005:bench-surge-token";
const SECRET = "bench-surge-secret-0123456789";
const PII_KEY = "bench-surge-pii-key-0123456789abcdefgh";
const TEXT = "یادآور نذر خدمت: فردا روز خدمت است";

// ── the platform: a Bot API server that enforces the limit ──────────────────
const sim = new BotApiSimulator();
sim.addBot(TOKEN, "telegram");
sim.limitRate(TOKEN, LIMIT, 1);
const apiServer = new HttpServer(createLogger("silent"));
mountBotApi(apiServer, sim, createLogger("silent"));
const apiRoot = `http://127.0.0.1:${await apiServer.listen(0, "127.0.0.1")}`;
/** When each broadcast message arrived, and how many each chat got; the simulator keeps no history here. */
const broadcastAt: number[] = [];
const copies = new Map<number, number>();
sim.on("bot-message", ({ userId, message }: { userId: number; message: { text?: string } }) => {
  if (message.text?.startsWith(TEXT)) {
    broadcastAt.push(Date.now());
    copies.set(userId, (copies.get(userId) ?? 0) + 1);
  }
});

// ── the bot: seeded volunteers, then the real process ───────────────────────
const dataDir = mkdtempSync(join(tmpdir(), "hamdel-surge-"));
const env: Record<string, string> = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: apiRoot,
  TELEGRAM_SEND_RATE: String(LIMIT),
  TELEGRAM_BROADCAST_RATE: String(LIMIT),
  DATA_DIR: dataDir,
  PII_KEY,
  QUIET_HOURS: "off",
  // Scripted people answer faster than anyone can type: no flood protection in the way.
  FLOOD_BURST: "100000",
  // Nor the pace of replies to one chat: a person who answers every question within the same second is a script.
  REPLY_BURST: "100000",
  LOG_LEVEL: "warn",
  NODE_ENV: "production",
  ...(REDIS_URL ? { REDIS_URL, REDIS_PREFIX: `bench-surge-${Date.now()}:` } : {}),
};
{
  const store = await openStore(parseConfig(env), new PiiCipher(PII_KEY));
  await seedDemo(store, RECIPIENTS, "telegram");
  await store.close();
}
for (let i = 0; i < RECIPIENTS; i++) sim.openChat(TOKEN, { id: SEED_USER_ID_BASE + i, first_name: "v" });
const port = await freePort();
console.log(
  `bench:surge — a ${RECIPIENTS}-recipient broadcast at the limit (${LIMIT} msg/s, enforced by the Bot API server) ` +
    `while ${PEOPLE} people register at once; send budget in ${REDIS_URL ? "Redis" : "DATA_DIR/send-budget.db"}; ` +
    `Node ${process.version}\n`,
);
const hamdel = await startProcess(
  ["--import", "tsx", "src/main.ts"],
  { ...env, BOT_MODE: "webhook", PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_SECRET: SECRET, PORT: String(port) },
  port,
);
while (!sim.bot(TOKEN).webhook) await new Promise((r) => setTimeout(r, 50));

/**
 * `PEOPLE` people from `firstId` register at once; the latency of every
 * update, ms. A person whose expected button never came (a reply lost) stops there.
 */
async function register(firstId: number): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: PEOPLE }, async (_, i) => {
      const id = firstId + i;
      sim.openChat(TOKEN, { id, first_name: "Maryam" });
      try {
        const steps = registration(id);
        for (const [n, step] of steps.entries())
          latencies.push(await postAndWait(sim, TOKEN, port, SECRET, id, step, steps[n + 1]));
      } catch (err) {
        console.error(`person ${id} stopped: ${(err as Error).message}`);
      }
    }),
  );
  return latencies;
}
const completed = (firstId: number) =>
  Array.from({ length: PEOPLE }, (_, i) => sim.botMessages(TOKEN, firstId + i)).filter((ms) =>
    ms.some((m) => /HM-/.test(m.text ?? "")),
  ).length;

// Warm-up (module loading, caches), not counted.
await register(5_000_000);

// ── 1. idle ─────────────────────────────────────────────────────────────────
const limitedBefore = sim.bot(TOKEN).limited;
const idle = await register(10_000_000);

// ── 2. surge ────────────────────────────────────────────────────────────────
const cli = spawn(
  process.execPath,
  ["--import", "tsx", "src/cli/main.ts", "broadcast", "--text", TEXT, "--source", "seed-demo", "--no-wait"],
  {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
await new Promise((resolve) => cli.on("exit", resolve));
while (broadcastAt.length < LIMIT) await new Promise((r) => setTimeout(r, 20));
const broadcastStart = broadcastAt[0]!;
const chatStart = Date.now();
const surge = await register(20_000_000);
const chatEnd = Date.now();
const deadline = Date.now() + (RECIPIENTS / LIMIT) * 3000 + 60_000;
while (copies.size < RECIPIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 2000)); // any duplicate arrives
const broadcastEnd = broadcastAt.at(-1)!;
const limited = sim.bot(TOKEN).limited - limitedBefore;
await stop(hamdel);
await apiServer.close();
rmSync(dataDir, { recursive: true, force: true });

// ── figures ─────────────────────────────────────────────────────────────────
const ms = (x: number) => `${x.toFixed(0)} ms`;
const p95 = { idle: pct(idle, 95), surge: pct(surge, 95) };
print("idle: reply p50 / p95 / p99", `${ms(pct(idle, 50))} / ${ms(p95.idle)} / ${ms(pct(idle, 99))}`);
print(
  "during the broadcast: reply p50 / p95 / p99",
  `${ms(pct(surge, 50))} / ${ms(p95.surge)} / ${ms(pct(surge, 99))}`,
);
print("reply p95, during / idle", (p95.surge / p95.idle).toFixed(2));
print("registrations completed: idle / during", `${completed(10_000_000)} / ${completed(20_000_000)} of ${PEOPLE}`);
print("429s received (whole run)", String(limited));
const inRange = (times: number[], from: number, to: number) => times.filter((t) => t >= from && t < to).length;
const rateIn = (times: number[], from: number, to: number) => inRange(times, from, to) / ((to - from) / 1000);
const sentAt = sim.bot(TOKEN).sentAt;
print(
  "broadcast rate while people chat / after they stop",
  `${rateIn(broadcastAt, chatStart, chatEnd).toFixed(1)} / ${rateIn(broadcastAt, chatEnd, broadcastEnd).toFixed(1)} msg/s`,
);
print(
  "all messages while people chat / after they stop",
  `${rateIn(sentAt, chatStart, chatEnd).toFixed(1)} / ${rateIn(sentAt, chatEnd, broadcastEnd).toFixed(1)} msg/s`,
);
const used = rateIn(sentAt, broadcastStart, broadcastEnd) / LIMIT;
print("share of the limit used while the broadcast ran", used.toFixed(3));
print("densest second of the run", `${densestWindow(sentAt)} messages (limit ${LIMIT})`);
const once = [...copies.values()].filter((n) => n === 1).length;
const twice = [...copies.values()].filter((n) => n > 1).length;
print("broadcast: exactly once / more than once / missing", `${once} / ${twice} / ${RECIPIENTS - copies.size}`);

const goals: Goal[] = [
  ["reply p95 ≤ 1.5 s during the broadcast", p95.surge <= 1500, "timing"],
  ["reply p95 ≤ 3× the idle p95", p95.surge <= 3 * p95.idle, "timing"],
  ["zero 429s", limited === 0, "timing"],
  ["every recipient exactly once", once === RECIPIENTS, "correctness"],
  ["every registration completed", completed(10_000_000) === PEOPLE && completed(20_000_000) === PEOPLE, "correctness"],
  ["≥ 0.95 of the limit used while the broadcast ran", used >= 0.95, "timing"],
];
console.log("");
judge(goals, print);
