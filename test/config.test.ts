import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { CONFIG_KEYS, ConfigError, parseConfig } from "../src/config.js";

const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
};

describe("parseConfig", () => {
  it("applies the contract's defaults to an empty environment", () => {
    const c = parseConfig({});
    expect(c.bots).toEqual([]);
    expect(c.mode).toBe("polling");
    expect(c.port).toBe(8080);
    expect(c.store.kind).toBe("sqlite");
    expect(c.dataDir).toMatch(/data$/);
    expect(c.redis).toBeUndefined();
    expect(c.adminIds).toEqual([]);
    expect(c.timeZone).toBe("Asia/Tehran");
    expect(c.logLevel).toBe("info");
    expect(c.role).toBe("all");
    expect(c.deliveryLeaseSeconds).toBe(60);
  });

  it("reads the worker role and the delivery lease, refusing what it does not know", () => {
    expect(parseConfig({ WORKER_ROLE: "delivery", DELIVERY_LEASE_SECONDS: "5" })).toMatchObject({
      role: "delivery",
      deliveryLeaseSeconds: 5,
    });
    expect(() => parseConfig({ WORKER_ROLE: "sender" })).toThrow(/WORKER_ROLE: expected "all", "bot"/);
    expect(() => parseConfig({ DELIVERY_LEASE_SECONDS: "0" })).toThrow(/DELIVERY_LEASE_SECONDS: expected at least 1/);
  });

  it("enables a bot per token with the platform's default API root", () => {
    const c = parseConfig({ TELEGRAM_BOT_TOKEN: "1:a", BALE_BOT_TOKEN: "2:b" });
    expect(c.bots).toEqual([
      { platform: "telegram", token: "1:a", apiRoot: "https://api.telegram.org" },
      { platform: "bale", token: "2:b", apiRoot: "https://tapi.bale.ai" },
    ]);
  });

  it("takes custom API roots and strips a trailing slash", () => {
    const c = parseConfig({ BALE_BOT_TOKEN: "2:b", BALE_API_ROOT: "http://127.0.0.1:9000/" });
    expect(c.bots[0]).toMatchObject({ platform: "bale", apiRoot: "http://127.0.0.1:9000" });
  });

  it("treats empty values as unset", () => {
    const c = parseConfig({ TELEGRAM_BOT_TOKEN: "", PORT: "", MONGODB_URI: " " });
    expect(c.bots).toEqual([]);
    expect(c.port).toBe(8080);
    expect(c.store.kind).toBe("sqlite");
  });

  it("reads quiet hours and broadcast rates", () => {
    expect(parseConfig({}).quietHours).toEqual({ from: 22, to: 8 });
    expect(parseConfig({ QUIET_HOURS: "23-7" }).quietHours).toEqual({ from: 23, to: 7 });
    expect(parseConfig({ QUIET_HOURS: "off" }).quietHours).toBeNull();
    expect(parseConfig({ TELEGRAM_BROADCAST_RATE: "20" }).broadcastRates).toEqual({ telegram: 20, bale: 15 });
  });

  it("keeps the platform's total apart from a broadcast's ceiling, which defaults to all of it", () => {
    const c = parseConfig({});
    expect(c.sendRates).toEqual({ telegram: 30, bale: 15 });
    expect(c.broadcastRates).toEqual({ telegram: 30, bale: 15 });
    expect(parseConfig({ BALE_SEND_RATE: "10", BALE_BROADCAST_RATE: "4" })).toMatchObject({
      sendRates: { bale: 10 },
      broadcastRates: { bale: 4 },
    });
    expect(() => parseConfig({ TELEGRAM_BROADCAST_RATE: "40" })).toThrow(
      /TELEGRAM_BROADCAST_RATE: expected at most TELEGRAM_SEND_RATE \(30\/s\)/,
    );
    expect(parseConfig({ TELEGRAM_SEND_RATE: "100", TELEGRAM_BROADCAST_RATE: "40" }).broadcastRates.telegram).toBe(40);
  });

  it("parses ADMIN_IDS into platform identities", () => {
    expect(parseConfig({ ADMIN_IDS: "telegram:123, bale:456" }).adminIds).toEqual([
      { platform: "telegram", userId: "123" },
      { platform: "bale", userId: "456" },
    ]);
  });

  it("chooses MongoDB when MONGODB_URI is set, and then demands PII_KEY", () => {
    expect(problemsOf({ MONGODB_URI: "mongodb://db:27017/hamdel" })).toEqual([
      expect.objectContaining({ key: "PII_KEY", message: expect.stringContaining("MONGODB_URI") }),
    ]);
    const c = parseConfig({ MONGODB_URI: "mongodb://db:27017/hamdel", PII_KEY: "k".repeat(32) });
    expect(c.store).toEqual({ kind: "mongo", uri: "mongodb://db:27017/hamdel" });
  });

  it("demands PUBLIC_URL and WEBHOOK_SECRET in webhook mode", () => {
    const keys = problemsOf({ BOT_MODE: "webhook" }).map((p) => p.key);
    expect(keys).toEqual(["PUBLIC_URL", "WEBHOOK_SECRET"]);
  });

  it("checks the webhook URL against the real platforms' rules: https, and a port they deliver to", () => {
    const webhook = { BOT_MODE: "webhook", WEBHOOK_SECRET: "s".repeat(20) };
    const bale = { ...webhook, BALE_BOT_TOKEN: "1:x" };
    expect(problemsOf({ ...bale, PUBLIC_URL: "http://bot.example.org" })).toEqual([
      expect.objectContaining({ key: "PUBLIC_URL", message: expect.stringContaining("https") }),
    ]);
    expect(problemsOf({ ...bale, PUBLIC_URL: "https://bot.example.org:8443" })).toEqual([
      expect.objectContaining({ key: "PUBLIC_URL", message: expect.stringContaining("port 443, 88 for bale") }),
    ]);
    // Telegram also delivers to 8443; Bale, as far as anyone has said, does not.
    expect(() =>
      parseConfig({ ...webhook, TELEGRAM_BOT_TOKEN: "1:x", PUBLIC_URL: "https://bot.example.org:8443" }),
    ).not.toThrow();
    expect(() => parseConfig({ ...bale, PUBLIC_URL: "https://bot.example.org:88" })).not.toThrow();
    // A local Bot API server (the tests, the playground) is not bound by them.
    expect(() =>
      parseConfig({ ...bale, BALE_API_ROOT: "http://127.0.0.1:9", PUBLIC_URL: "http://127.0.0.1:8080" }),
    ).not.toThrow();
  });

  it.each([
    ["PORT", "eighty", "port"],
    ["PORT", "70000", "65535"],
    ["BOT_MODE", "push", "polling"],
    ["TELEGRAM_API_ROOT", "api.telegram.org", "URL"],
    ["MONGODB_URI", "postgres://x", "mongodb://"],
    ["REDIS_URL", "127.0.0.1:6379", "redis://"],
    ["ADMIN_IDS", "telegram:abc", "telegram:123"],
    ["ADMIN_IDS", "whatsapp:1", "telegram:123"],
    ["PII_KEY", "short", "32"],
    ["TZ_NAME", "Mars/Olympus", "IANA"],
    ["LOG_LEVEL", "loud", "info"],
    ["WEBHOOK_SECRET", "has spaces in it!!!!", "A–Z"],
    ["QUIET_HOURS", "22", "22-8"],
    ["QUIET_HOURS", "25-8", "0–23"],
    ["TELEGRAM_BROADCAST_RATE", "fast", "messages per second"],
    ["BALE_BROADCAST_RATE", "-1", "positive"],
    ["TELEGRAM_SEND_RATE", "0", "positive"],
    ["BALE_SEND_RATE", "2000", "at most 1000"],
  ])("rejects %s=%s, naming the key and what it expects", (key, value, expected) => {
    const problems = problemsOf({ [key]: value });
    const mine = problems.filter((p) => p.key === key);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toContain(expected);
  });

  it("reports every bad key at once, in a message an operator can act on", () => {
    try {
      parseConfig({ PORT: "x", LOG_LEVEL: "loud" });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT: .*\n\s+LOG_LEVEL: .*\n.*\.env\.example/);
    }
  });
});

describe(".env.example", () => {
  it("lists every configuration key, each with a comment above it", async () => {
    const lines = readFileSync(new URL("../.env.example", import.meta.url), "utf8").split("\n");
    for (const key of CONFIG_KEYS) {
      const at = lines.findIndex((l) => l.startsWith(`${key}=`));
      expect(at, `${key} missing from .env.example`).toBeGreaterThan(0);
      expect(lines[at - 1], `${key} has no comment`).toMatch(/^#/);
    }
  });
});

describe("deploy/docker-compose.yml", () => {
  it("gives the workers only keys of the configuration contract, and they parse as a webhook deployment", () => {
    const compose = readFileSync(new URL("../deploy/docker-compose.yml", import.meta.url), "utf8");
    // Every KEY: under an environment block of the hamdel workers (the proxy's PUBLIC_HOST aside).
    const keys = [...compose.matchAll(/^\s{4,6}([A-Z][A-Z0-9_]+):/gm)]
      .map((m) => m[1]!)
      .filter((k) => k !== "PUBLIC_HOST");
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) expect(CONFIG_KEYS, key).toContain(key);
    for (const role of ["bot", "delivery"]) expect(compose).toContain(`WORKER_ROLE: ${role}`);
    const c = parseConfig({
      TELEGRAM_BOT_TOKEN: "1:x",
      BOT_MODE: "webhook",
      PUBLIC_URL: "https://bot.example.org",
      WEBHOOK_SECRET: "0123456789abcdef",
      MONGODB_URI: /MONGODB_URI: (\S+)/.exec(compose)![1],
      REDIS_URL: /REDIS_URL: (\S+)/.exec(compose)![1],
      PII_KEY: "k".repeat(32),
      WORKER_ROLE: "bot",
    });
    expect(c).toMatchObject({
      mode: "webhook",
      role: "bot",
      store: { kind: "mongo" },
      redis: { url: "redis://redis:6379" },
    });
  });
});
