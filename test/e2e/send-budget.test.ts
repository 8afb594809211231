import { spawn } from "node:child_process";
import { basename, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SEED_USER_ID_BASE, seedDemo } from "../../src/cli/seed-demo.js";
import { createLogger } from "../../src/logger.js";
import { startBotApiServer, type RunningBotApi } from "../../src/playground/bot-api/index.js";
import { densestWindow } from "../../src/playground/bot-api/simulator.js";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { TELEGRAM_TOKEN, tempDir } from "../support/config.js";
import { freePort, startHamdel, stopHamdel, waitFor, type Running } from "../support/process.js";

const RATE = 20;
const redisUrl = process.env.REDIS_URL;

/**
 * The platform's limit held across real processes: a running bot and the
 * CLI sending at once, and a bot killed and restarted mid-broadcast. The
 * Bot API server records when it accepted each message; no second of it may
 * carry more than 1.2× the configured rate.
 */
// The run's own store: the embedded lane tests the file, the Redis lane (REDIS_URL) tests Redis.
describe.each([redisUrl ? ["Redis", redisUrl] : ["embedded store (DATA_DIR/send-budget.db)", ""]])(
  "one send budget across processes: %s",
  (_name, redis) => {
    let api: RunningBotApi;
    const running: Running[] = [];
    beforeAll(async () => {
      api = await startBotApiServer(createLogger("silent"));
      api.sim.addBot(TELEGRAM_TOKEN, "telegram");
    });
    afterEach(async () => {
      for (const r of running.splice(0)) await stopHamdel(r);
    });
    afterAll(() => api.close());

    const sim = () => api.sim.bot(TELEGRAM_TOKEN);
    const env = (dataDir: string): Record<string, string> => ({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_SEND_RATE: String(RATE),
      TELEGRAM_BROADCAST_RATE: String(RATE),
      DATA_DIR: dataDir,
      REDIS_URL: redis,
      REDIS_PREFIX: `test-${basename(dataDir)}:`,
      QUIET_HOURS: "off",
      DELIVERY_LEASE_SECONDS: "2",
    });
    const start = async (dataDir: string, extra: Record<string, string> = {}) => {
      const r = startHamdel({ ...env(dataDir), PORT: String(await freePort()), ...extra });
      running.push(r);
      await waitFor("hamdel is up", () => (r.output().includes("hamdel is up") ? true : undefined), 30_000);
      return r;
    };
    /** `n` volunteers in a new DATA_DIR, with open chats; a broadcast queued to them when `text` is given. */
    async function prepare(n: number, text?: string) {
      const dataDir = tempDir();
      const store = openSqliteStore(
        dataDir,
        new PiiCipher(resolvePiiKey(undefined, join(dataDir, "pii.key"), () => undefined)),
      );
      for (let i = 0; i < n; i++) api.sim.openChat(TELEGRAM_TOKEN, { id: SEED_USER_ID_BASE + i, first_name: "v" });
      await seedDemo(store, n, "telegram");
      if (text)
        await createBroadcast(store, { text, segment: {}, urgent: false, notBefore: new Date(0), createdBy: null });
      await store.close();
      return dataDir;
    }
    const received = (text: string) =>
      api.sim.calls.filter((c) => c.method === "sendMessage" && c.params.text === text).length;
    const cli = (dataDir: string, args: string[]) => {
      let output = "";
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", ...env(dataDir) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      return {
        output: () => output,
        exited: new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code))),
      };
    };

    it("a bot and the CLI sending at once never pass the limit together", async () => {
      const from = sim().sentAt.length;
      const dataDir = await prepare(60, "از ربات");
      await start(dataDir);
      await waitFor("the bot sending", () => (received("از ربات") >= 5 ? true : undefined), 30_000);
      const run = cli(dataDir, ["broadcast", "--text", "از خط فرمان", "--here"]);
      expect(await run.exited, run.output()).toBe(0);
      await waitFor("the bot's broadcast sent", () => (received("از ربات") >= 60 ? true : undefined), 30_000);
      expect(received("از خط فرمان")).toBe(60);
      const times = sim().sentAt.slice(from);
      expect(densestWindow(times)).toBeLessThanOrEqual(RATE * 1.2);
      // Both sent in the same seconds (or this would prove nothing).
      expect(times.at(-1)! - times[0]!).toBeLessThan((120 / RATE) * 1000 * 1.6);
    }, 90_000);

    it("the CLI queues while a bot runs (the sender lease), shows progress, and the bot sends it", async () => {
      const dataDir = await prepare(30);
      await start(dataDir);
      // The lease is renewed every few seconds: a new bot holds it from its start.
      const run = cli(dataDir, ["broadcast", "--text", "صف برای ربات"]);
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toContain("queued for it");
      expect(run.output()).toMatch(/bot: sent \d+/);
      expect(run.output()).toMatch(/done in .* sent 30, failed 0/);
      expect(received("صف برای ربات")).toBe(30);
    }, 90_000);

    it("a worker killed (kill -9) and restarted mid-broadcast, beside another, makes no burst over the limit", async () => {
      const from = sim().sentAt.length;
      const dataDir = await prepare(120, "پس از خرابی");
      // A second delivery worker keeps sending throughout: the restarted one must fit beside it from its first send.
      await start(dataDir, { WORKER_ROLE: "delivery" });
      const first = await start(dataDir);
      await waitFor("some sent", () => (received("پس از خرابی") >= 30 ? true : undefined), 30_000);
      first.child.kill("SIGKILL");
      await first.exited;
      await start(dataDir);
      await waitFor("all sent", () => (new Set(sentTo("پس از خرابی")).size >= 120 ? true : undefined), 60_000);
      expect(densestWindow(sim().sentAt.slice(from))).toBeLessThanOrEqual(RATE * 1.2);
    }, 120_000);

    const sentTo = (text: string) =>
      api.sim.calls.filter((c) => c.method === "sendMessage" && c.params.text === text).map((c) => c.params.chat_id);
  },
);
