import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";

/**
 * A route's handler. `body` is the request body, already read (bounded by the
 * route's `maxBody`); empty for GET and HEAD.
 */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
) => unknown | Promise<unknown>;

export interface RouteOptions {
  /** The largest request body accepted, in bytes; a larger one is answered 413 unread. */
  maxBody?: number;
  /** The body is left unread for the handler (the console: Fastify reads it, within its own limit). */
  raw?: boolean;
}

/** A check every request passes before its route: a refusal (status and reason) or null to go on. */
export type RequestGuard = (req: IncomingMessage, url: URL) => { status: number; error: string } | null;

interface Route {
  method: string;
  /** Exact path, or a prefix when it ends with `*`. */
  path: string;
  handler: RouteHandler;
  maxBody: number;
  raw: boolean;
}

/** Every route's body limit unless it says otherwise: a Bot API update or a form is far smaller. */
export const DEFAULT_MAX_BODY = 1024 * 1024;

/** The body was larger than the route takes. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/** Reads a request's body, at most `limit` bytes: past that it stops reading and rejects. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > limit) return Promise.reject(new BodyTooLargeError(`body of ${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        reject(new BodyTooLargeError(`body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/**
 * A small router on node:http: webhooks, health, readiness, metrics and the
 * playground. Every request body is read here, within its route's limit, so
 * no route can be made to buffer an unbounded upload.
 */
export class HttpServer {
  readonly #routes: Route[] = [];
  readonly #guards: RequestGuard[] = [];
  readonly #server: Server;

  constructor(private readonly logger: Logger) {
    this.#server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) =>
      this.#dispatch(req, res).catch((err: unknown) => this.#failed(res, err, "dispatch")),
    );
    // A request the HTTP parser itself refuses (a junk method, bad framing, oversized headers):
    // answered 400/431 when the socket can still be written to, closed otherwise. Never thrown.
    this.#server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable || err.code === "ECONNRESET") return void socket.destroy();
      const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    });
  }

  /** Anything a route or the dispatch throws: logged (no body, no query), 500 if nothing was sent yet. */
  #failed(res: ServerResponse, err: unknown, path: string) {
    this.logger.error({ err: (err as Error)?.message ?? String(err), path }, "http handler failed");
    if (res.destroyed) return;
    if (!res.headersSent) sendJson(res, 500, { ok: false, error: "internal error" });
    else res.end();
  }

  route(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): this {
    this.#routes.push({
      method,
      path,
      handler,
      maxBody: options.maxBody ?? DEFAULT_MAX_BODY,
      raw: options.raw ?? false,
    });
    return this;
  }

  /** Adds a check every request passes before its route (the playground's Host and Origin checks). */
  guard(check: RequestGuard): this {
    this.#guards.push(check);
    return this;
  }

  /** The port listened on (0 before `listen`). */
  get port(): number {
    return this.#server.listening ? (this.#server.address() as AddressInfo).port : 0;
  }

  async listen(port: number, host = "0.0.0.0"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve());
    });
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse) {
    const url = requestUrl(req.url);
    if (!url) {
      res.setHeader("connection", "close");
      return sendJson(res, 400, { ok: false, error: "bad request target" });
    }
    for (const check of this.#guards) {
      const refusal = check(req, url);
      if (refusal) return sendJson(res, refusal.status, { ok: false, error: refusal.error });
    }
    const route = this.#routes.find(
      (r) =>
        (r.method === req.method || r.method === "*" || (r.method === "GET" && req.method === "HEAD")) &&
        (r.path.endsWith("*") ? url.pathname.startsWith(r.path.slice(0, -1)) : url.pathname === r.path),
    );
    if (!route) return sendJson(res, 404, { ok: false, error: "not found" });
    let body: Buffer;
    try {
      body =
        route.raw || req.method === "GET" || req.method === "HEAD"
          ? Buffer.alloc(0)
          : await readBody(req, route.maxBody);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) return void res.destroy();
      res.setHeader("connection", "close");
      return sendJson(res, 413, { ok: false, error: "request body too large" });
    }
    try {
      await route.handler(req, res, url, body);
    } catch (err) {
      this.#failed(res, err, route.path);
    }
  }
}

/** Node's own limit is 16 KiB; a webhook's or the console's headers are far smaller. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * The request-target as a URL, or null when it is not an origin-form path
 * (`//[`, `/\[`, an absolute `http://a:99999/`, bad percent-encoding):
 * routes only ever see a path on this server.
 */
export function requestUrl(target: string | undefined): URL | null {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.includes("\\")) return null;
  let url: URL;
  try {
    url = new URL(target, "http://localhost");
    decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return url.host === "localhost" ? url : null;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
