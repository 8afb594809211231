import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import type { Store } from "../../src/store/port/index.js";
import { freePort, waitFor } from "./process.js";

/**
 * Fault injection for tests.
 */

/** What better-sqlite3 throws when the file is locked by another process. */
export const busyError = () =>
  Object.assign(new Error("database is locked"), { name: "SqliteError", code: "SQLITE_BUSY" });

/**
 * Makes store calls (every repository method whose name `methods` matches,
 * and `ping` when it matches) fail while `down` is true, the way an
 * unreachable database does, in place: every holder of the store sees it.
 */
export function storeOutage(store: Store, methods = /./, error: () => Error = busyError) {
  const state = { down: false };
  const wrap = (target: object) => {
    let proto = Object.getPrototypeOf(target);
    const names = new Set<string>(Object.keys(target));
    while (proto && proto !== Object.prototype) {
      for (const n of Object.getOwnPropertyNames(proto)) if (n !== "constructor") names.add(n);
      proto = Object.getPrototypeOf(proto);
    }
    for (const name of names) {
      const fn = (target as Record<string, unknown>)[name];
      if (typeof fn !== "function") continue;
      (target as Record<string, unknown>)[name] = (...args: unknown[]) =>
        state.down && methods.test(name)
          ? Promise.reject(error())
          : (fn as (...a: unknown[]) => unknown).apply(target, args);
    }
  };
  for (const value of Object.values(store)) if (value && typeof value === "object") wrap(value);
  const ping = store.ping.bind(store);
  store.ping = () => (state.down && methods.test("ping") ? Promise.reject(error()) : ping());
  return state;
}

export const hasRedisServer = () => spawnSync("redis-server", ["--version"]).status === 0;

/** A private redis-server on a free port, which a test may kill and start again on the same port. */
export async function privateRedis() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const alive = () =>
    spawnSync("redis-cli", ["-p", String(port), "ping"])
      .stdout?.toString()
      .includes("PONG");
  const api = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        {
          stdio: "ignore",
        },
      );
      await waitFor("redis-server up", () => (alive() ? true : undefined), 10_000);
    },
    async kill() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
  };
  await api.start();
  return api;
}

/** A Redis Sentinel on a free port watching `primaryPort` as master `name` (redis-server in sentinel mode). */
export async function privateSentinel(primaryPort: number, name = "hamdel-primary") {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "hamdel-sentinel-"));
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor ${name} 127.0.0.1 ${primaryPort} 1\nsentinel down-after-milliseconds ${name} 1000\n`,
  );
  const child = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
  const alive = () =>
    spawnSync("redis-cli", ["-p", String(port), "sentinel", "get-master-addr-by-name", name])
      .stdout?.toString()
      .includes(String(primaryPort));
  await waitFor("sentinel up", () => (alive() ? true : undefined), 10_000);
  return {
    url: `redis-sentinel://127.0.0.1:${port}/${name}`,
    async kill() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
