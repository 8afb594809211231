/**
 * `npm run bench:broadcast`: the real delivery engine against a local
 * Bot-API-compatible server (its own process), for BENCH_RECIPIENTS
 * (default 100,000) synthetic volunteers on the embedded store.
 *
 * Prints: the raw ceiling (plain concurrent sendMessage calls to the same
 * server), the engine's ceiling with no rate limit (durable records
 * included) and their ratio; the achieved rate with a 30/s limit as a ratio
 * of the limit; and lost / duplicate messages after a kill -9 mid-broadcast.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Api } from "grammy";
import { SEED_USER_ID_BASE, seedDemo } from "../../src/cli/seed-demo.js";
import { parseConfig } from "../../src/config.js";
import { createDeliveryEngine } from "../../src/delivery/index.js";
import { createLogger } from "../../src/logger.js";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { openStore } from "../../src/store/index.js";

const N = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const CONCURRENCY = 64;
const TOKEN = "7000:bench-token";
const dataDir = mkdtempSync(join(tmpdir(), "hamdel-bench-"));
const logger = createLogger("silent");

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const print = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

function startServer(): Promise<{ apiRoot: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/bench/bot-api-server.ts", TOKEN, String(N), String(SEED_USER_ID_BASE)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = /^PORT (\d+)$/.exec(line);
      if (m) resolve({ apiRoot: `http://127.0.0.1:${m[1]}`, stop: () => child.kill("SIGKILL") });
    });
  });
}

const stats = async (apiRoot: string, text: string) =>
  (await (await fetch(`${apiRoot}/stats?text=${encodeURIComponent(text)}`)).json()) as {
    chats: number;
    messages: number;
    duplicates: number;
  };

async function main() {
  console.log(`Hamdel broadcast benchmark: ${N} recipients, Node ${process.version}, embedded SQLite store\n`);
  const server = await startServer();
  const config = parseConfig({
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: server.apiRoot,
    LOG_LEVEL: "silent",
  });
  const store = await openStore(config, new PiiCipher(resolvePiiKey(undefined, config.piiKeyFile, () => undefined)));
  try {
    let t = Date.now();
    await seedDemo(store, N, "telegram");
    print("seeded synthetic volunteers", `${N} in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // Baseline: plain concurrent sendMessage calls, no records (after a warm-up of both sides).
    const api = new Api(TOKEN, { apiRoot: server.apiRoot });
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < Math.min(N, 2000)) await api.sendMessage(SEED_USER_ID_BASE + next++, "warm-up");
      }),
    );
    next = 0;
    t = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) await api.sendMessage(SEED_USER_ID_BASE + next++, "raw");
      }),
    );
    const rawRate = rate(N, Date.now() - t);
    print(`raw ceiling (${CONCURRENCY} concurrent sendMessage)`, `${rawRate} msg/s`);

    // The engine with no rate limit: segment query, outbox records, claims, settles.
    config.sendRates.telegram = config.broadcastRates.telegram = Infinity;
    t = Date.now();
    const unlimited = await createBroadcast(store, {
      text: "engine",
      segment: {},
      urgent: true,
      notBefore: new Date(0),
      createdBy: "bench",
    });
    const { engine, close } = createDeliveryEngine(config, store, logger, {
      batchSize: 200,
      concurrency: CONCURRENCY,
      leaseMs: 60_000,
    });
    await engine.drain(unlimited.broadcast.id);
    await close();
    const engineRate = rate(N, Date.now() - t);
    const s1 = await stats(server.apiRoot, "engine");
    print("engine ceiling, no limit (incl. queueing N records)", `${engineRate} msg/s`);
    print("engine / raw", `${(engineRate / rawRate).toFixed(2)}  (goal ≥ 0.5)`);
    print("engine run: chats reached / duplicates", `${s1.chats} / ${s1.duplicates}`);

    // With the limit at 30/s.
    const LIMITED = 300;
    config.sendRates.telegram = config.broadcastRates.telegram = 30;
    const limited = await store.deliveries.createBroadcast({
      text: "limited",
      segment: {},
      urgent: true,
      notBefore: new Date(0),
      createdBy: "bench",
    });
    await store.deliveries.enqueue(limited.id, (await store.people.segment({})).slice(0, LIMITED));
    const paced = createDeliveryEngine(config, store, logger, { batchSize: 100, concurrency: CONCURRENCY });
    t = Date.now();
    await paced.engine.drain(limited.id);
    await paced.close();
    const achieved = (LIMITED - 1) / ((Date.now() - t) / 1000);
    print(
      `limit 30/s, ${LIMITED} messages: achieved`,
      `${achieved.toFixed(2)} msg/s = ${(achieved / 30).toFixed(3)} of the limit (goal ≥ 0.95)`,
    );

    // kill -9 in the middle, then a new worker finishes.
    const CRASH = Math.min(N, 20_000);
    config.sendRates.telegram = config.broadcastRates.telegram = Infinity;
    const crash = await store.deliveries.createBroadcast({
      text: "crash",
      segment: {},
      urgent: true,
      notBefore: new Date(0),
      createdBy: "bench",
    });
    await store.deliveries.enqueue(crash.id, (await store.people.segment({})).slice(0, CRASH));
    const worker = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/bench/engine-worker.ts", dataDir, server.apiRoot, TOKEN, crash.id],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if ((await stats(server.apiRoot, "crash")).messages >= CRASH / 3) break;
    }
    worker.kill("SIGKILL");
    await new Promise((r) => worker.on("exit", r));
    const before = await stats(server.apiRoot, "crash");
    const recovery = createDeliveryEngine(config, store, logger, {
      batchSize: 200,
      concurrency: CONCURRENCY,
      leaseMs: 5_000,
    });
    t = Date.now();
    await recovery.engine.drain(crash.id);
    await recovery.close();
    const after = await stats(server.apiRoot, "crash");
    print(
      `kill -9 after ${before.messages} of ${CRASH}: resumed in`,
      `${((Date.now() - t) / 1000).toFixed(1)} s (lease 5 s)`,
    );
    print(
      "after the crash: lost / duplicates",
      `${CRASH - after.chats} / ${after.duplicates}  (goal 0 lost; duplicates ≤ the batch in flight)`,
    );
  } finally {
    await store.close();
    server.stop();
  }
}

await main();
