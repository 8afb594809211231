/**
 * `npm run bench:attack`: a handful of accounts against the send budget.
 * The real process (`src/main.ts`, webhook mode, Bale) against a local
 * Bot-API-compatible server (the playground's simulator, in this process)
 * that enforces Bale's default budget, BENCH_LIMIT (15) messages a second.
 * A broadcast to BENCH_RECIPIENTS (1,500) volunteers runs throughout.
 *
 * 1. Baseline, BENCH_PHASE_S (12) s: an ordinary person sends /help every
 *    second (waiting for each answer), and 20 urgent pushes (as match
 *    notices are) are queued 3 s in.
 * 2. Attack, as long: the same, while BENCH_ATTACKERS (8) accounts each
 *    send /help three times a second without waiting.
 * 3. Presses: BENCH_PRESSERS (40) people press buttons (and type between
 *    presses) four times a second for 10 s, 40 updates each (1,600 in all),
 *    while the broadcast keeps the budget busy.
 *
 * Prints, per phase: the broadcast's rate and its share of the limit, the
 * urgent pushes' latency (queued → at the platform), the ordinary person's
 * reply p50/p95, the attackers' replies a second; the presses' answer
 * latency; each ratio against the baseline; then each goal, met or not.
 * BENCH_REDIS=redis://…: the send budget, flood counts and state in Redis.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEED_USER_ID_BASE, seedDemo } from "../../src/cli/seed-demo.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { mountBotApi } from "../../src/playground/bot-api/server.js";
import { BotApiSimulator } from "../../src/playground/bot-api/simulator.js";
import { PiiCipher } from "../../src/security/pii.js";
import { HttpServer } from "../../src/server/http.js";
import { pushToAccount } from "../../src/services/broadcast.js";
import { openStore } from "../../src/store/index.js";
import { freePort, pct, post, print, startProcess, stop } from "./support/webhook.js";
import { judge, type Goal } from "./support/goals.js";

const LIMIT = Number(process.env.BENCH_LIMIT ?? 15);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 1500);
const ATTACKERS = Number(process.env.BENCH_ATTACKERS ?? 8);
const PRESSERS = Number(process.env.BENCH_PRESSERS ?? 40);
const PHASE_MS = Number(process.env.BENCH_PHASE_S ?? 12) * 1000;
const URGENT = 20;
const REDIS_URL = process.env.BENCH_REDIS;
const TOKEN = "6006:bench-attack-token";
const SECRET = "bench-attack-secret-0123456789";
const PII_KEY = "bench-attack-pii-key-0123456789abcdefgh";
const TEXT = "یادآور نذر خدمت: فردا روز خدمت است";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ── the platform ────────────────────────────────────────────────────────────
const sim = new BotApiSimulator();
sim.addBot(TOKEN, "bale");
sim.limitRate(TOKEN, LIMIT, 1);
const apiServer = new HttpServer(createLogger("silent"));
mountBotApi(apiServer, sim, createLogger("silent"));
const apiRoot = `http://127.0.0.1:${await apiServer.listen(0, "127.0.0.1")}`;
/** Every message the bot sent: when, to whom, and whether it was the broadcast or an urgent push. */
const arrivals: { at: number; chat: number; kind: "broadcast" | "urgent" | "other" }[] = [];
const urgentAt = new Map<string, number>();
sim.on("bot-message", ({ userId, message }: { userId: number; message: { text?: string } }) => {
  const text = message.text ?? "";
  const kind = text.startsWith(TEXT) ? "broadcast" : text.startsWith("فوری") ? "urgent" : "other";
  arrivals.push({ at: Date.now(), chat: userId, kind });
  if (kind === "urgent") urgentAt.set(text, Date.now());
});
const answeredAt = new Map<string, number>();
sim.on("callback-answer", ({ id }: { id: string }) => answeredAt.set(id, Date.now()));

// ── the bot ─────────────────────────────────────────────────────────────────
const dataDir = mkdtempSync(join(tmpdir(), "hamdel-attack-"));
const env: Record<string, string> = {
  BALE_BOT_TOKEN: TOKEN,
  BALE_API_ROOT: apiRoot,
  BALE_SEND_RATE: String(LIMIT),
  DATA_DIR: dataDir,
  PII_KEY,
  QUIET_HOURS: "off",
  LOG_LEVEL: "error",
  NODE_ENV: "production",
  ...(REDIS_URL ? { REDIS_URL, REDIS_PREFIX: `bench-attack-${Date.now()}:` } : {}),
};
const store = await openStore(parseConfig(env), new PiiCipher(PII_KEY));
await seedDemo(store, RECIPIENTS, "bale");
for (let i = 0; i < RECIPIENTS; i++) sim.openChat(TOKEN, { id: SEED_USER_ID_BASE + i, first_name: "v" });
const port = await freePort();
console.log(
  `bench:attack — ${ATTACKERS} accounts × 3 /help a second against a ${RECIPIENTS}-recipient broadcast on Bale's ` +
    `budget (${LIMIT} msg/s, enforced by the Bot API server); ${PRESSERS} people pressing; state in ` +
    `${REDIS_URL ? "Redis" : "DATA_DIR"}; Node ${process.version}\n`,
);
const hamdel = await startProcess(
  ["--import", "tsx", "src/main.ts"],
  { ...env, BOT_MODE: "webhook", PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_SECRET: SECRET, PORT: String(port) },
  port,
);
while (!sim.bot(TOKEN).webhook) await sleep(50);

let nextUpdateUser = 30_000_000;
const person = (id = nextUpdateUser++) => {
  const user = { id, first_name: "Maryam", language_code: "fa" };
  sim.openChat(TOKEN, user);
  return user;
};
/** Posts what the simulator made of the user's action; resolves with the webhook round trip (the handler's time). */
const send = (user: { id: number }, text: string) => {
  sim.sendText(TOKEN, user as never, text);
  return post(port, SECRET, sim.bot(TOKEN).updates.shift()!, "bale");
};

// ── the broadcast ───────────────────────────────────────────────────────────
const cli = spawn(
  process.execPath,
  ["--import", "tsx", "src/cli/main.ts", "broadcast", "--text", TEXT, "--source", "seed-demo", "--no-wait"],
  { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ["ignore", "ignore", "inherit"] },
);
await new Promise((resolve) => cli.on("exit", resolve));
while (arrivals.filter((a) => a.kind === "broadcast").length < LIMIT) await sleep(20);

interface PhaseResult {
  broadcastRate: number;
  urgent: number[];
  replies: number[];
  attackerRate: number;
}

let urgentSerial = 0;
/** One phase of PHASE_MS: the ordinary person, the urgent pushes, and (`attackers` > 0) the flood. */
async function phase(attackers: number): Promise<PhaseResult> {
  const from = Date.now();
  const until = from + PHASE_MS;
  const ordinary = person();
  const flooders = Array.from({ length: attackers }, () => person());
  const replies: number[] = [];
  const queued = new Map<string, number>();
  const pending: Promise<unknown>[] = [];
  const flood = (async () => {
    while (Date.now() < until) {
      for (const f of flooders) pending.push(send(f, "/help").catch(() => undefined));
      await sleep(333);
    }
  })();
  const pushes = (async () => {
    await sleep(3000);
    for (let i = 0; i < URGENT; i++) {
      const text = `فوری ${++urgentSerial}: مرکز نزدیک شما به کمک نیاز دارد`;
      const userId = String(SEED_USER_ID_BASE + (urgentSerial % RECIPIENTS));
      queued.set(text, Date.now());
      await pushToAccount(store, { platform: "bale", userId }, text);
    }
  })();
  while (Date.now() < until) {
    const started = Date.now();
    replies.push(await send(ordinary, "/help"));
    await sleep(Math.max(0, 1000 - (Date.now() - started)));
  }
  await Promise.all([flood, pushes]);
  const broadcast = arrivals.filter((a) => a.kind === "broadcast" && a.at >= from && a.at < until).length;
  const flooderIds = new Set(flooders.map((f) => f.id));
  const attackerReplies = arrivals.filter((a) => flooderIds.has(a.chat) && a.at >= from && a.at < until).length;
  // Pushes that never arrived count as the whole wait so far.
  const deadline = Date.now() + 20_000;
  while ([...queued.keys()].some((t) => !urgentAt.has(t)) && Date.now() < deadline) await sleep(100);
  const urgent = [...queued].map(([t, at]) => (urgentAt.get(t) ?? Date.now()) - at);
  await Promise.all(pending);
  return {
    broadcastRate: broadcast / (PHASE_MS / 1000),
    urgent,
    replies,
    attackerRate: attackerReplies / (PHASE_MS / 1000),
  };
}

const baseline = await phase(0);
const attack = await phase(ATTACKERS);

// ── presses ─────────────────────────────────────────────────────────────────
const pressers = Array.from({ length: PRESSERS }, () => person());
await Promise.all(pressers.map((p) => send(p, "/start")));
// The webhook answers within WEBHOOK_HOLD_MS; the consent question (its buttons) may come after, behind the broadcast.
for (const until = Date.now() + 60_000; Date.now() < until; await sleep(100))
  if (pressers.every((p) => sim.botMessages(TOKEN, p.id).some((m) => m.reply_markup))) break;
const pressedAt = new Map<string, number>();
const DATA = ["r:consent:yes", "r:consent:no", "x:forged", "r:p:golestan", "s:9999:in"];
await Promise.all(
  pressers.map(async (p, n) => {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const message =
        sim.botMessages(TOKEN, p.id).findLast((m) => m.reply_markup) ?? sim.botMessages(TOKEN, p.id).at(-1)!;
      if (i % 2 === 0) {
        const id = sim.press(TOKEN, p as never, message.message_id, DATA[(i + n) % DATA.length]!);
        pressedAt.set(id, Date.now());
        pending.push(post(port, SECRET, sim.bot(TOKEN).updates.shift()!, "bale").catch(() => undefined));
      } else pending.push(send(p, "سلام").catch(() => undefined));
      await sleep(250);
    }
    await Promise.all(pending);
  }),
);
await sleep(1000);
const pressLatency = [...pressedAt].map(([id, at]) => (answeredAt.get(id) ?? Infinity) - at);
await stop(hamdel);
await store.close();
await apiServer.close();
rmSync(dataDir, { recursive: true, force: true });

// ── figures ─────────────────────────────────────────────────────────────────
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : "never");
for (const [name, r] of [
  ["baseline", baseline],
  [`under attack (${ATTACKERS} accounts)`, attack],
] as const) {
  print(
    `${name}: broadcast rate (share of ${LIMIT})`,
    `${r.broadcastRate.toFixed(1)} msg/s (${(r.broadcastRate / LIMIT).toFixed(2)})`,
  );
  print(`${name}: urgent pushes p50 / max`, `${ms(pct(r.urgent, 50))} / ${ms(Math.max(...r.urgent))}`);
  print(`${name}: ordinary reply p50 / p95`, `${ms(pct(r.replies, 50))} / ${ms(pct(r.replies, 95))}`);
  print(`${name}: replies to the attackers`, `${r.attackerRate.toFixed(1)} msg/s`);
}
print("broadcast rate, attack / baseline", (attack.broadcastRate / baseline.broadcastRate).toFixed(2));
print("ordinary reply p95, attack / baseline", (pct(attack.replies, 95) / pct(baseline.replies, 95)).toFixed(2));
const answered = pressLatency.filter(Number.isFinite).length;
print(
  `presses: answered / within 10 s (of ${pressLatency.length})`,
  `${answered} / ${pressLatency.filter((l) => l <= 10_000).length}`,
);
print(
  "presses: answer p50 / p95 / max",
  `${ms(pct(pressLatency, 50))} / ${ms(pct(pressLatency, 95))} / ${ms(Math.max(...pressLatency))}`,
);

const goals: Goal[] = [
  ["under attack, the broadcast keeps ≥ 30 % of the rate", attack.broadcastRate >= 0.3 * LIMIT, "timing"],
  ["under attack, every urgent push within 10 s", Math.max(...attack.urgent) <= 10_000, "timing"],
  ["under attack, an ordinary reply p95 ≤ 2 s", pct(attack.replies, 95) <= 2000, "timing"],
  ["every press answered", answered === pressLatency.length, "correctness"],
  ["every press answered within 10 s", Math.max(...pressLatency) <= 10_000, "timing"],
  ["press answer p95 ≤ 1 s", pct(pressLatency, 95) <= 1000, "timing"],
];
console.log("");
judge(goals, print);
