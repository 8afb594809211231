import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, waitFor } from "../support/process.js";

/** Whether something listens on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

describe("npm start", () => {
  it("stops on the first SIGTERM sent to npm: no process is left serving the port", async () => {
    const port = await freePort();
    let output = "";
    const child = spawn("npm", ["start"], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        DATA_DIR: mkdtempSync(join(tmpdir(), "hamdel-npm-")),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waitFor("the playground up", () => (output.includes("hamdel is up") ? true : undefined), 30_000);
    expect(await listening(port)).toBe(true);
    child.kill("SIGTERM");
    await exited;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await listening(port)).toBe(false);
    expect(output).toContain("hamdel stopped");
  }, 45_000);
});
