import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { markRealData, playgroundHostWarning, playgroundRefusal, REAL_BOT_MARKER } from "../../src/playground/guard.js";
import { tempDir } from "../support/config.js";
import { freePort, startHamdel, stopHamdel, waitFor, type Running } from "../support/process.js";

/** An address of this machine other than loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

/** A raw request (fetch refuses to send some of these), resolving with the status or the socket error's code. */
function send(
  host: string,
  port: number,
  path: string,
  body: Buffer | string,
  method = "POST",
): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end(body);
  });
}

describe("the playground is never a door into real data", () => {
  let running: Running;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    running = startHamdel({ DATA_DIR: tempDir(), PORT: String(port), ADMIN_IDS: "telegram:777" });
    await waitFor("playground", () => running.output().includes("playground ready") || undefined, 30_000);
  }, 40_000);
  afterAll(() => stopHamdel(running, "SIGTERM"));

  it("still opens on http://localhost:PORT/ for a new user, and says it is a local trial", async () => {
    const page = await fetch(`http://localhost:${port}/`);
    expect(page.status).toBe(200);
    expect(running.output()).toContain(`open http://localhost:${port}/ (a local trial only)`);
  });

  it.skipIf(!outsideAddress)("listens on loopback only: another machine's connection is refused", async () => {
    expect(await send("127.0.0.1", port, "/playground/api/state", "", "GET")).toBe(200);
    expect(await send(outsideAddress!, port, "/playground/api/state", "", "GET")).toBe("ECONNREFUSED");
  });

  it("refuses a request body over its limit (413) and still answers after it", async () => {
    const big = JSON.stringify({ platform: "telegram", user: "10001", text: "x".repeat(200_000) });
    expect(await send("127.0.0.1", port, "/playground/api/send", big)).toBe(413);
    const small = JSON.stringify({ platform: "telegram", user: "10001", text: "سلام" });
    expect(await send("127.0.0.1", port, "/playground/api/send", small)).toBe(200);
  });
});

describe("the playground refuses to start", () => {
  const run = async (env: Record<string, string>, args: string[] = []) => {
    const running = startHamdel({ DATA_DIR: env.DATA_DIR ?? tempDir(), PORT: "0", ...env }, args);
    const code = await running.exited;
    return { code, output: running.output() };
  };

  it("when MONGODB_URI is set and no token is", async () => {
    const { code, output } = await run({
      MONGODB_URI: "mongodb://127.0.0.1:1/hamdel",
      PII_KEY: "k".repeat(40),
    });
    expect(code).toBe(2);
    expect(output).toContain("the playground never runs against a production database");
    expect(output).not.toContain("playground ready");
  }, 30_000);

  it("when asked for (--playground) beside a bot token", async () => {
    const { code, output } = await run({ TELEGRAM_BOT_TOKEN: "123:abc" }, ["--playground"]);
    expect(code).toBe(2);
    expect(output).toContain("does not start while a bot token is set");
  }, 30_000);

  it("on a DATA_DIR that a real bot has used", async () => {
    const dataDir = tempDir();
    markRealData(parseConfig({ DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: "123:abc" }));
    const { code, output } = await run({ DATA_DIR: dataDir });
    expect(code).toBe(2);
    expect(output).toContain("holds the data of a real bot");
  }, 30_000);
});

describe("playground rules", () => {
  it("refusals follow the configuration", () => {
    const dataDir = tempDir();
    expect(playgroundRefusal(parseConfig({ DATA_DIR: dataDir }))).toBeNull();
    writeFileSync(join(dataDir, REAL_BOT_MARKER), "telegram\n");
    expect(playgroundRefusal(parseConfig({ DATA_DIR: dataDir }))).toMatch(/real bot/);
    // A playground's own run never marks its folder.
    const other = tempDir();
    markRealData(parseConfig({ DATA_DIR: other }));
    expect(playgroundRefusal(parseConfig({ DATA_DIR: other }))).toBeNull();
  });

  it("warns when PLAYGROUND_HOST widens it beyond loopback", () => {
    expect(playgroundHostWarning("127.0.0.1")).toBeNull();
    expect(playgroundHostWarning("::1")).toBeNull();
    expect(playgroundHostWarning("0.0.0.0")).toMatch(/reachable from other machines/);
    expect(parseConfig({}).playgroundHost).toBe("127.0.0.1");
  });
});
