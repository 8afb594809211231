import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Starts jongodb, the MongoDB-compatible **emulator** whose native binary ships
 * in the npm package `@jongodb/memory-server-bin-linux-x64-gnu` (a dev
 * dependency). It is not MongoDB: it speaks the wire protocol, keeps data in
 * memory, enforces indexes and runs transactions as a single-node replica set,
 * but lacks operators (see test/store/emulator-gaps.ts).
 *
 * The package's own launcher, `@jongodb/memory-server`, is not on the npm
 * registry this machine reaches, so this starts the binary the way that
 * launcher does: it prints one line `JONGODB_URI=<uri>` when it is ready.
 */
export const EMULATOR_PACKAGE = "@jongodb/memory-server-bin-linux-x64-gnu";

export interface RunningEmulator {
  uri: string;
  version: string;
  stop(): Promise<void>;
}

export function emulatorBinary(): { path: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve(`${EMULATOR_PACKAGE}/package.json`);
  const { version, jongodb } = require(manifest) as { version: string; jongodb: { binary: string } };
  return { path: join(dirname(manifest), jongodb.binary), version };
}

export async function startEmulator(
  timeoutMs = 20_000,
  logFile?: string,
  topology: "singleNodeReplicaSet" | "standalone" = "singleNodeReplicaSet",
): Promise<RunningEmulator> {
  const { path, version } = emulatorBinary();
  const child: ChildProcess = spawn(path, [`--topology-profile=${topology}`, "--port=0", "--database=test"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const log = logFile ? createWriteStream(logFile) : null;
  child.stderr!.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
    log?.write(b);
  });
  child.stdout!.on("data", (b: Buffer) => log?.write(b));
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the emulator did not start in ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    let out = "";
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /^JONGODB_URI=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}) before it was ready: ${stderr}`));
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  return {
    uri,
    version,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
