import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, type Config } from "../../src/config.js";

export const TELEGRAM_TOKEN = "1001:telegram-test-token";
export const BALE_TOKEN = "2002:bale-test-token";

export const tempDir = (prefix = "hamdel-test-") => mkdtempSync(join(tmpdir(), prefix));

/**
 * A config for tests: a fresh DATA_DIR, silent logs, and Redis (with a
 * prefix of its own) exactly when the test run was given REDIS_URL.
 */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return parseConfig({
    DATA_DIR: tempDir(),
    LOG_LEVEL: "silent",
    PII_KEY: "test-pii-key-0123456789-abcdefghijklmnop",
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: `test-${randomUUID()}:`,
    PORT: "0",
    // Tests run at any hour: quiet hours only where a test sets them (and its clock).
    QUIET_HOURS: "off",
    // Scripted users are faster than any person: flood protection only where a test sets it.
    FLOOD_BURST: "100000",
    // Nor the pace of replies to one chat (about 1 a second after a burst): scripted flows answer at once.
    REPLY_BURST: "100000",
    // Nor the pace of pushes to one chat (a second apart on the platforms): a coordinator's notices arrive at once.
    CHAT_SEND_RATE: "1000",
    // Nor the platform's total per bot (30/s): tests of the send budget set their own.
    TELEGRAM_SEND_RATE: "1000",
    BALE_SEND_RATE: "1000",
    ...env,
  });
}
