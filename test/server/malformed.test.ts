import { connect } from "node:net";
import { Counter, Registry } from "prom-client";
import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/logger.js";
import { HttpServer, requestUrl, sendJson } from "../../src/server/http.js";
import { installProcessGuards } from "../../src/runtime/process-guards.js";

/** Writes raw bytes to the server and resolves with everything it answers until it closes (or 2 s pass). */
function raw(port: number, bytes: string, halfClose = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? resolve(answer) : reject(err)));
    socket.on("close", () => resolve(answer));
    socket.setTimeout(2000, () => socket.destroy());
    if (halfClose) socket.end(bytes, "latin1");
    else socket.write(bytes, "latin1");
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);

describe("the HTTP server under malformed requests (raw sockets)", () => {
  const server = new HttpServer(createLogger("silent"));
  let port = 0;
  beforeAll(async () => {
    server.route("GET", "/healthz", (_req, res) => sendJson(res, 200, { ok: true }));
    server.route("GET", "/files*", (_req, res, url) => sendJson(res, 200, { path: url.pathname }));
    server.route("GET", "/boom", () => Promise.reject(new Error("a route's bug")));
    port = await server.listen(0, "127.0.0.1");
  });
  afterAll(() => server.close());

  const alive = async () => statusOf(await raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

  it.each([
    ["//[", 400],
    ["/\\[", 400],
    ["http://a:99999/", 400],
    ["http://evil.example/healthz", 400],
    ["//evil.example/healthz", 400],
    ["/files/%E0%A4%A", 400],
    ["/files/%", 400],
    ["*", 400],
  ])("GET %s is answered %i and the server serves on", async (target, status) => {
    const answer = await raw(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(statusOf(answer)).toBe(status);
    expect(await alive()).toBe(200);
  });

  it("twenty malformed requests in a row leave it serving", async () => {
    for (let i = 0; i < 20; i++) await raw(port, "GET //[ HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await alive()).toBe(200);
  });

  it("a junk method, bad framing and oversized headers are refused by the parser, not thrown", async () => {
    expect(statusOf(await raw(port, "G@T / HTTP/1.1\r\nHost: x\r\n\r\n"))).toBe(400);
    expect(statusOf(await raw(port, "GET / HTTP/9.9\r\nHost: x\r\n\r\n"))).toBe(400);
    expect(statusOf(await raw(port, "\x00\x01\x02garbage\r\n\r\n"))).toBe(400);
    expect(
      statusOf(
        await raw(port, "POST /files HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
      ),
    ).toBe(400);
    const huge = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(40_000)}\r\n\r\n`;
    expect(statusOf(await raw(port, huge))).toBe(431);
    // Half a request, then the client closes its side: refused without a word.
    expect(statusOf(await raw(port, "GET /healthz HTTP/1.1\r\nHost: x", true))).not.toBe(200);
    expect(await alive()).toBe(200);
  });

  it("a route that rejects is answered 500 and the server serves on", async () => {
    expect(statusOf(await raw(port, "GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))).toBe(500);
    expect(await alive()).toBe(200);
  });

  it("a proper target still reaches its route, query and all", async () => {
    expect(requestUrl("/files/a%20b?x=1")?.pathname).toBe("/files/a%20b");
    expect(requestUrl("/files/a?x=%")?.search).toBe("?x=%");
    const answer = await raw(port, "GET /files/a%20b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(statusOf(answer)).toBe(200);
    expect(answer).toContain('"/files/a%20b"');
  });
});

describe("the process-level policy", () => {
  const setup = () => {
    const proc = Object.assign(new EventEmitter(), { exit: vi.fn() });
    const registry = new Registry();
    const faults = new Counter({ name: "faults", help: "h", labelNames: ["kind"], registers: [registry] });
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger("info", { write: (l: string) => void lines.push(JSON.parse(l)) });
    const beforeExit = vi.fn(() => Promise.resolve());
    const remove = installProcessGuards(proc, { logger, faults, beforeExit, exitAfterMs: 50 });
    const count = async (kind: string) => (await faults.get()).values.find((v) => v.labels.kind === kind)?.value ?? 0;
    return { proc, lines, count, beforeExit, remove };
  };

  it("an unhandled rejection is logged with its context and counted, and the process serves on", async () => {
    const { proc, lines, count } = setup();
    proc.emit("unhandledRejection", new Error("a tick's store call failed"));
    proc.emit("unhandledRejection", "a bare string");
    expect(await count("unhandled_rejection")).toBe(2);
    expect(proc.exit).not.toHaveBeenCalled();
    expect(lines[0]).toMatchObject({ level: 50, err: "Error: a tick's store call failed", policy: "serve on" });
    expect(lines[0]!.stack).toEqual(expect.arrayContaining([expect.stringContaining("malformed.test.ts")]));
  });

  it("an uncaught exception is counted, stops the app, and exits 1 for the supervisor", async () => {
    const { proc, lines, count, beforeExit } = setup();
    proc.emit("uncaughtException", new TypeError("x is undefined"), "uncaughtException");
    proc.emit("uncaughtException", new TypeError("again"), "uncaughtException");
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalledWith(1));
    expect(beforeExit).toHaveBeenCalledTimes(1);
    expect(await count("uncaught_exception")).toBe(2);
    expect(lines[0]).toMatchObject({ level: 60, policy: "exit", origin: "uncaughtException" });
  });

  it("exits even when the app's stop hangs", async () => {
    const proc = Object.assign(new EventEmitter(), { exit: vi.fn() });
    const faults = new Counter({ name: "f2", help: "h", labelNames: ["kind"], registers: [new Registry()] });
    installProcessGuards(proc, {
      logger: createLogger("silent"),
      faults,
      beforeExit: () => new Promise(() => undefined),
      exitAfterMs: 20,
    });
    proc.emit("uncaughtException", new Error("x"), "uncaughtException");
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalledWith(1));
  });

  it("the guards can be removed", () => {
    const { proc, remove } = setup();
    remove();
    expect(proc.listenerCount("unhandledRejection")).toBe(0);
    expect(proc.listenerCount("uncaughtException")).toBe(0);
  });
});
