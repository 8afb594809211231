import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { createLogger } from "../../src/logger.js";
import { mountHealth } from "../../src/server/health.js";
import { HttpServer } from "../../src/server/http.js";
import { PiiCipher } from "../../src/security/pii.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { BotApiSimulator } from "../../src/playground/bot-api/index.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, tempDir, testConfig } from "../support/config.js";
import { simulatorFetch } from "../support/harness.js";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("files at rest", () => {
  it("every file an app with bots keeps in DATA_DIR is 0600 (the send budget's too), the folder 0700", async () => {
    const dataDir = join(tempDir(), "data");
    const sim = new BotApiSimulator();
    sim.addBot(TELEGRAM_TOKEN, "telegram");
    const fetch = simulatorFetch(sim);
    const app = await createApp(
      testConfig({ DATA_DIR: dataDir, REDIS_URL: undefined, TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, PII_KEY: undefined }),
      { logger: createLogger("silent"), bot: { telegram: { fetch } } },
    );
    await app.start();
    await app.deps.budget.acquire("telegram", "reply", 1);
    try {
      expect(mode(dataDir)).toBe(0o700);
      const files = readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(["send-budget.db", "hamdel.sqlite"]));
      for (const f of files) expect([f, mode(join(dataDir, f))]).toEqual([f, 0o600]);
    } finally {
      await app.stop();
    }
  });

  it("DATA_DIR is 0700 and every database file in it 0600", async () => {
    const dataDir = join(tempDir(), "data");
    const store = openSqliteStore(dataDir, new PiiCipher("k".repeat(40)));
    await store.people.ensure({ platform: "telegram", userId: "1", chatId: "1" });
    try {
      expect(mode(dataDir)).toBe(0o700);
      for (const f of ["hamdel.sqlite", "hamdel.sqlite-wal", "hamdel.sqlite-shm"])
        expect(mode(join(dataDir, f))).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it("a generated key inside DATA_DIR is named in a warning at start; one kept apart is not", async () => {
    const lines: string[] = [];
    const logger = createLogger("warn", { write: (s: string) => void lines.push(s) });
    const inside = testConfig({ PII_KEY: undefined });
    const app = await createApp(inside, { logger });
    await app.stop();
    const warning = lines.find((l) => l.includes("PII key is kept inside DATA_DIR"));
    expect(warning).toContain(join(inside.dataDir, "pii.key"));

    lines.length = 0;
    const keyFile = join(tempDir(), "secrets", "pii.key");
    const apart = await createApp(testConfig({ PII_KEY: undefined, PII_KEY_FILE: keyFile }), { logger });
    await apart.stop();
    expect(lines.some((l) => l.includes("PII key is kept inside DATA_DIR"))).toBe(false);
    expect(mode(keyFile)).toBe(0o600);
  });
});

const SECRET = "s3cret-webhook-token_0123456789";

/** The real app in webhook mode against a simulator. */
async function webhookApp(env: Record<string, string>): Promise<App> {
  const sim = new BotApiSimulator();
  sim.addBot(TELEGRAM_TOKEN, "telegram");
  sim.addBot(BALE_TOKEN, "bale");
  const fetchSim = simulatorFetch(sim);
  return createApp(
    testConfig({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      BALE_BOT_TOKEN: BALE_TOKEN,
      BOT_MODE: "webhook",
      PUBLIC_URL: "https://hamdel.example.org",
      WEBHOOK_SECRET: SECRET,
      ...env,
    }),
    { logger: createLogger("silent"), bot: { telegram: { fetch: fetchSim }, bale: { fetch: fetchSim } } },
  );
}

describe("smaller leaks", () => {
  let server: HttpServer | undefined;
  let app: App | undefined;
  afterEach(async () => {
    await server?.close();
    await app?.stop();
    server = app = undefined;
  });

  it("/readyz says a dependency is down without echoing its error", async () => {
    server = new HttpServer(createLogger("silent"));
    const secret = "connect ECONNREFUSED mongo-3.internal:27017 user=hamdel_admin";
    mountHealth(
      server,
      { store: () => Promise.reject(new Error(secret)) },
      { state: () => Promise.reject(new Error(secret)) },
    );
    const port = await server.listen(0, "127.0.0.1");
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ status: "not ready", checks: { store: "down", state: "degraded" } });
    expect(body).not.toContain("mongo-3");
  });

  it("/metrics requires the bearer token when METRICS_TOKEN is set", async () => {
    const token = "metrics-token-0123456789";
    app = await webhookApp({ METRICS_TOKEN: token });
    const base = `http://127.0.0.1:${await app.start()}`;
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status,
    ).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("hamdel_");
  });

  it("a webhook body over its limit is refused with 413 before grammY reads it", async () => {
    app = await webhookApp({});
    const base = `http://127.0.0.1:${await app.start()}`;
    const res = await fetch(`${base}/webhook/bale/${SECRET}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ update_id: 1, padding: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });
});
