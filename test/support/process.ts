import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import type { IdentityRef, Store } from "../../src/store/port/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";

/** Helpers for tests that run the real process (`src/main.ts`). */

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` with only the given environment (and the run's REDIS_URL). */
export function startHamdel(env: Record<string, string>, args: string[] = []): Running {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: "info",
      // A scripted registration is faster than any person.
      FLOOD_BURST: "100000",
      REPLY_BURST: "100000",
      CHAT_SEND_RATE: "1000",
      // Each run its own Redis keys (update ids, rate limits).
      REDIS_PREFIX: `test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}:`,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function stopHamdel(running: Running | undefined, signal: NodeJS.Signals = "SIGKILL") {
  if (running && running.child.exitCode === null) {
    running.child.kill(signal);
    await running.exited;
  }
}

/** Opens a process's embedded store (its DATA_DIR and the key it generates there), for a test to prepare or read. */
export async function withDataDir<T>(dataDir: string, use: (store: Store) => Promise<T>): Promise<T> {
  const store = openSqliteStore(dataDir, new PiiCipher(resolvePiiKey(undefined, join(dataDir, "pii.key"), () => {})));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Reads one person from a stopped process's embedded store. */
export const personInDataDir = (dataDir: string, ref: IdentityRef) =>
  withDataDir(dataDir, (store) => store.people.findByIdentity(ref));
