import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { envKey, parseAccount } from "./domain/platform.js";
import { capabilitiesOf, PLATFORMS, type Platform } from "./platforms/capabilities.js";
import type { RedisOptions } from "ioredis";

/** The generated PII key's file name when `PII_KEY_FILE` does not say where. */
export const PII_KEY_FILE_NAME = "pii.key";

/**
 * The configuration contract (see `.env.example`). The environment is parsed
 * here once; nothing else in `src/` reads `process.env`.
 */

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v));

const url = (what: string) => z.url({ protocol: /^https?$/, error: `expected an http(s) URL ${what}` });

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** A rate in messages per second (a send rate or a broadcast's ceiling), up to 1000. */
const messagesPerSecond = (why = "") =>
  z.coerce
    .number<string | undefined>({ error: "expected messages per second" })
    .positive({ error: "expected a positive number of messages per second" })
    .max(1000, { error: `expected at most 1000${why ? ` ${why}` : ""}` });

/** One setting per platform (`TELEGRAM_<setting>`, `BALE_<setting>`, …), each parsed by `field(platform)`. */
function perPlatform<S extends string, T extends z.ZodType>(setting: S, field: (p: Platform) => T) {
  return Object.fromEntries(PLATFORMS.map((p) => [envKey(p, setting), field(p)])) as Record<
    ReturnType<typeof envKey<S>>,
    T
  >;
}
/** Where a platform allows more for paid broadcasts, the limit's message says so. */
const paidHint = (p: Platform) => (capabilitiesOf(p).rateLimits.paidBroadcastPerSecond ? "(paid broadcasts)" : "");

const fields = z.object({
  ...perPlatform("BOT_TOKEN", () => optionalString),
  ...perPlatform("API_ROOT", (p) => optionalString.pipe(url(`such as ${capabilitiesOf(p).apiRoot}`).optional())),
  BOT_MODE: optionalString.pipe(
    z.enum(["polling", "webhook"], { error: 'expected "polling" or "webhook"' }).default("polling"),
  ),
  PUBLIC_URL: optionalString.pipe(url("such as https://bot.example.org").optional()),
  WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, {
        error: "expected 16–256 characters of A–Z, a–z, 0–9, _ or -",
      })
      .optional(),
  ),
  TRUST_PROXY: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*$/, {
        error: "expected the proxy's addresses or ranges, comma-separated (such as 127.0.0.1 or 10.0.0.0/8)",
      })
      .optional(),
  ),
  PORT: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a port number" })
      .int({ error: "expected a whole port number" })
      .min(0, { error: "expected a port from 0 to 65535" })
      .max(65535, { error: "expected a port from 0 to 65535" })
      .default(8080),
  ),
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/.+/, { error: "expected a mongodb:// or mongodb+srv:// URI" })
      .optional(),
  ),
  DATA_DIR: optionalString.transform((v) => resolve(v ?? "./data")),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(rediss?|redis-sentinel):\/\/.+/, {
        error: "expected a redis://, rediss:// or redis-sentinel://host:26379,…/<master> URL",
      })
      .refine(
        (v) => {
          try {
            parseSentinelUrl(v);
            return true;
          } catch {
            return false;
          }
        },
        { error: "expected redis-sentinel://[:password@]host:port,host:port/<master name>[/<db>]" },
      )
      .optional(),
  ),
  REDIS_PREFIX: optionalString.transform((v) => v ?? "hamdel:"),
  STATE_TTL_SECONDS: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of seconds" })
      .int()
      .min(60, { error: "expected at least 60 seconds" })
      .default(30 * 24 * 3600),
  ),
  ADMIN_IDS: optionalString.transform((v, ctx) => {
    const ids = (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const accounts = ids.map(parseAccount);
    const bad = ids.find((_, i) => !accounts[i]);
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `expected a comma-separated list like ${PLATFORMS.map((p, i) => `${p}:${123 * (i + 1)}`).join(",")}; got "${bad}"`,
      });
      return z.NEVER;
    }
    return accounts.map((a) => a!);
  }),
  PII_KEY_FILE: optionalString.transform((v) => (v === undefined ? undefined : resolve(v))),
  PLAYGROUND_HOST: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, { error: "expected a host name or address to listen on, such as 127.0.0.1" })
      .default("127.0.0.1"),
  ),
  METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, { error: "expected at least 16 characters (try: openssl rand -hex 16)" }).optional(),
  ),
  PUSH_RETENTION_DAYS: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of days" })
      .int({ error: "expected a whole number of days" })
      .min(1, { error: "expected at least 1 day" })
      .max(3650, { error: "expected at most 3650 days" })
      .default(30),
  ),
  PII_KEY: optionalString.pipe(
    z.string().min(32, { error: "expected at least 32 characters (try: openssl rand -base64 32)" }).optional(),
  ),
  TZ_NAME: optionalString.pipe(
    z.string().refine(isTimeZone, { error: "expected an IANA time zone such as Asia/Tehran" }).default("Asia/Tehran"),
  ),
  QUIET_HOURS: optionalString.transform((v, ctx) => {
    if (v === undefined) return { from: 22, to: 8 };
    if (v === "off") return null;
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(v);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 23 || m[1] === m[2]) {
      ctx.addIssue({ code: "custom", message: `expected hours like 22-8 (from-to, 0–23) or "off"; got "${v}"` });
      return z.NEVER;
    }
    return { from: Number(m[1]), to: Number(m[2]) };
  }),
  ...perPlatform("SEND_RATE", (p) =>
    optionalString.pipe(messagesPerSecond(paidHint(p)).default(capabilitiesOf(p).rateLimits.globalPerSecond)),
  ),
  ...perPlatform("BROADCAST_RATE", (p) => optionalString.pipe(messagesPerSecond(paidHint(p)).optional())),
  FLOOD_BURST: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of updates" })
      .int({ error: "expected a whole number of updates" })
      .min(1, { error: "expected at least 1" })
      .default(12),
  ),
  FLOOD_PER_SECOND: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected updates per second" })
      .positive({ error: "expected a positive number of updates per second" })
      .default(3),
  ),
  ATTENDANCE_GRACE_MINUTES: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of minutes" })
      .int({ error: "expected whole minutes" })
      .min(0, { error: "expected 0 or more minutes" })
      .max(120, { error: "expected at most 120 minutes" })
      .default(10),
  ),
  APPROVAL_REMIND_HOURS: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of hours" })
      .positive({ error: "expected a positive number of hours" })
      .max(72, { error: "expected at most 72 hours" })
      .default(4),
  ),
  APPROVAL_RAISE_HOURS: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of hours" })
      .positive({ error: "expected a positive number of hours" })
      .max(168, { error: "expected at most 168 hours" })
      .default(24),
  ),
  REPLY_BURST: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of messages" })
      .int({ error: "expected a whole number of messages" })
      .min(1, { error: "expected at least 1" })
      .default(4),
  ),
  CHAT_SEND_RATE: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected messages per second" })
      .positive({ error: "expected a positive number of messages per second" })
      .optional(),
  ),
  TOKEN_PAUSE_SECONDS: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of seconds" })
      .positive({ error: "expected a positive number of seconds" })
      .max(3600, { error: "expected at most 3600 seconds" })
      .default(30),
  ),
  BOT_API_TIMEOUT_SECONDS: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of seconds" })
      .positive({ error: "expected a positive number of seconds" })
      .max(300, { error: "expected at most 300 seconds" })
      .default(15),
  ),
  WORKER_ROLE: optionalString.pipe(
    z
      .enum(["all", "bot", "delivery"], {
        error: 'expected "all", "bot" (updates only) or "delivery" (outbox and schedules only)',
      })
      .default("all"),
  ),
  DELIVERY_LEASE_SECONDS: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: "expected a number of seconds" })
      .int({ error: "expected a whole number of seconds" })
      .min(1, { error: "expected at least 1 second" })
      .max(3600, { error: "expected at most 3600 seconds" })
      .default(60),
  ),
  LOG_LEVEL: optionalString.pipe(
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "expected one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
  ),
});

/** Every key of the configuration contract (each is listed in `.env.example`). */
export const CONFIG_KEYS = Object.keys(fields.shape);

/**
 * Why the real platforms would refuse this webhook URL, or `null`. Only the
 * bots on a real API root are bound by it (a local Bot API server has rules
 * of its own).
 */
function webhookUrlProblem(bots: readonly PlatformConfig[], publicUrl: string): string | null {
  const real = bots.filter((b) => b.apiRoot === capabilitiesOf(b.platform).apiRoot).map((b) => b.platform);
  if (real.length === 0) return null;
  const url = new URL(publicUrl);
  if (url.protocol !== "https:")
    return `expected an https:// URL: ${real.join(" and ")} deliver webhooks over https only`;
  const port = Number(url.port || 443);
  for (const platform of real) {
    const ports = capabilitiesOf(platform).webhookPorts;
    if (ports && !ports.includes(port))
      return `expected port ${ports.join(", ")} for ${platform} (got ${port}); put a proxy in front on one of those`;
  }
  return null;
}

const schema = fields.superRefine((env, ctx) => {
  if (env.BOT_MODE === "webhook") {
    if (!env.PUBLIC_URL)
      ctx.addIssue({ code: "custom", path: ["PUBLIC_URL"], message: "required when BOT_MODE=webhook" });
    if (!env.WEBHOOK_SECRET)
      ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "required when BOT_MODE=webhook" });
  }
  for (const [broadcast, send] of PLATFORMS.map(
    (p) => [envKey(p, "BROADCAST_RATE"), envKey(p, "SEND_RATE")] as const,
  )) {
    const b = env[broadcast];
    if (b !== undefined && b > env[send])
      ctx.addIssue({
        code: "custom",
        path: [broadcast],
        message: `expected at most ${send} (${env[send]}/s): a broadcast shares the bot's total; raise ${send} too if the platform allows more`,
      });
  }
  if (env.MONGODB_URI && !env.PII_KEY) {
    ctx.addIssue({
      code: "custom",
      path: ["PII_KEY"],
      message: "required when MONGODB_URI is set (every worker must share one key)",
    });
  }
});

export type BotMode = "polling" | "webhook";
export type WorkerRole = "all" | "bot" | "delivery";

export interface PlatformConfig {
  platform: Platform;
  token: string;
  apiRoot: string;
}

export interface Config {
  bots: PlatformConfig[];
  mode: BotMode;
  publicUrl: string | undefined;
  webhookSecret: string | undefined;
  /**
   * The reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges). Unset: the
   * socket's address is the client's (rate limits key on it), and the header is ignored.
   */
  trustProxy: string[];
  port: number;
  store: { kind: "mongo"; uri: string } | { kind: "sqlite"; dataDir: string };
  dataDir: string;
  redis: { url: string; prefix: string } | undefined;
  stateTtlSeconds: number;
  adminIds: { platform: Platform; userId: string }[];
  piiKey: string | undefined;
  /** Where a generated PII key is kept (`PII_KEY_FILE`, else `DATA_DIR/pii.key`). */
  piiKeyFile: string;
  /** The address the local playground listens on (loopback unless widened). */
  playgroundHost: string;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Settled one-to-one pushes (introductions, notices) are purged after this many days. */
  pushRetentionDays: number;
  timeZone: string;
  /** Campaign messages wait out these local hours; `null`: no quiet hours. Urgent ones never wait. */
  quietHours: { from: number; to: number } | null;
  /**
   * The platform's total per bot token, messages per second, shared by every
   * process (replies, pushes and broadcasts together).
   */
  sendRates: Record<Platform, number>;
  /** A broadcast's own ceiling per platform (at most the send rate; by default all of it that replies leave). */
  broadcastRates: Record<Platform, number>;
  /** Per-person flood protection: updates at once, and sustained per second. */
  flood: { burst: number; perSecond: number };
  /** Replies to one person that may go at once; beyond it, their chat's pace (about 1 a second) applies. */
  replyBurst: number;
  /** Seconds a platform's deliveries wait after it refuses the bot's token (TOKEN_PAUSE_SECONDS). */
  tokenPauseSeconds: number;
  /** Messages a second to one person (CHAT_SEND_RATE); null: each platform's per-chat limit in the capability table. */
  chatSendRate: number | null;
  /** Minutes after a session's scheduled end a check-out still counts; beyond it the coordinator corrects. */
  attendanceGraceMinutes: number;
  /** An introduction awaiting its institution: its operators are reminded after this, the province's admins told after that. */
  approvalHandoff: { remindHours: number; raiseHours: number };
  /**
   * What this process does: `all` (one machine), `bot` (takes updates; no
   * outbox or schedules) or `delivery` (sends the outbox and runs the
   * schedules; takes no updates). A scaled deployment runs several of each.
   */
  role: WorkerRole;
  /** A Bot API call unanswered this long is abandoned (and retried by auto-retry). */
  botApiTimeoutSeconds: number;
  /** How long a delivery worker holds a claimed batch before another may take it over. */
  deliveryLeaseSeconds: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

/** Thrown at start when the environment does not fit the contract. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly { key: string; message: string }[]) {
    super(
      "Invalid configuration:\n" +
        problems.map((p) => `  ${p.key}: ${p.message}`).join("\n") +
        "\nSee .env.example for every key and its meaning.",
    );
  }
}

/** Parses an environment (normally `process.env`) into a typed {@link Config}. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ key: String(i.path[0] ?? "environment"), message: i.message })),
    );
  }
  const e = parsed.data;
  const byPlatform = <T>(value: (p: Platform) => T) =>
    Object.fromEntries(PLATFORMS.map((p) => [p, value(p)])) as Record<Platform, T>;
  const bots = PLATFORMS.flatMap((platform) => {
    const token = e[envKey(platform, "BOT_TOKEN")];
    if (!token) return [];
    const apiRoot = (e[envKey(platform, "API_ROOT")] ?? capabilitiesOf(platform).apiRoot).replace(/\/+$/, "");
    return [{ platform, token, apiRoot }];
  });
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, "");
  const webhookProblem = e.BOT_MODE === "webhook" && publicUrl ? webhookUrlProblem(bots, publicUrl) : null;
  if (webhookProblem) throw new ConfigError([{ key: "PUBLIC_URL", message: webhookProblem }]);
  return {
    bots,
    mode: e.BOT_MODE,
    publicUrl,
    webhookSecret: e.WEBHOOK_SECRET,
    trustProxy: e.TRUST_PROXY?.split(",") ?? [],
    port: e.PORT,
    store: e.MONGODB_URI ? { kind: "mongo", uri: e.MONGODB_URI } : { kind: "sqlite", dataDir: e.DATA_DIR },
    dataDir: e.DATA_DIR,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : undefined,
    stateTtlSeconds: e.STATE_TTL_SECONDS,
    adminIds: e.ADMIN_IDS,
    piiKey: e.PII_KEY,
    piiKeyFile: e.PII_KEY_FILE ?? join(e.DATA_DIR, PII_KEY_FILE_NAME),
    playgroundHost: e.PLAYGROUND_HOST,
    metricsToken: e.METRICS_TOKEN,
    pushRetentionDays: e.PUSH_RETENTION_DAYS,
    timeZone: e.TZ_NAME,
    quietHours: e.QUIET_HOURS,
    sendRates: byPlatform((p) => e[envKey(p, "SEND_RATE")]),
    broadcastRates: byPlatform((p) => e[envKey(p, "BROADCAST_RATE")] ?? e[envKey(p, "SEND_RATE")]),
    flood: { burst: e.FLOOD_BURST, perSecond: e.FLOOD_PER_SECOND },
    replyBurst: e.REPLY_BURST,
    tokenPauseSeconds: e.TOKEN_PAUSE_SECONDS,
    chatSendRate: e.CHAT_SEND_RATE ?? null,
    attendanceGraceMinutes: e.ATTENDANCE_GRACE_MINUTES,
    approvalHandoff: { remindHours: e.APPROVAL_REMIND_HOURS, raiseHours: e.APPROVAL_RAISE_HOURS },
    role: e.WORKER_ROLE,
    botApiTimeoutSeconds: e.BOT_API_TIMEOUT_SECONDS,
    deliveryLeaseSeconds: e.DELIVERY_LEASE_SECONDS,
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * Loads `.env` from the working directory when present (values already in the
 * environment win), then parses the process environment.
 */
export function loadConfig(): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return parseConfig(process.env);
}

const SENTINEL_URL = /^redis-sentinel:\/\/(?:(?:([^:@/]*):)?([^@/]*)@)?([^/@]+)\/([^/?]+)(?:\/(\d+))?$/;

/** The ioredis options of a `redis-sentinel://` URL; `null` for any other URL. Throws on a malformed one. */
export function parseSentinelUrl(
  url: string,
): Pick<RedisOptions, "sentinels" | "name" | "password" | "username" | "sentinelPassword" | "db"> | null {
  if (!url.startsWith("redis-sentinel://")) return null;
  const m = SENTINEL_URL.exec(url);
  if (!m) throw new Error("expected redis-sentinel://[:password@]host:port,host:port/<master name>[/<db>]");
  const [, username, password, hosts, name, db] = m;
  const sentinels = hosts!.split(",").map((h) => {
    const [host, port] = h.split(":");
    if (!host || (port !== undefined && !/^\d+$/.test(port))) throw new Error(`bad sentinel address "${h}"`);
    return { host, port: Number(port ?? 26379) };
  });
  const secret = password ? decodeURIComponent(password) : undefined;
  return {
    sentinels,
    name: decodeURIComponent(name!),
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(secret ? { password: secret, sentinelPassword: secret } : {}),
    ...(db ? { db: Number(db) } : {}),
  };
}
