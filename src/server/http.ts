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
  readonly #server: Server;

  constructor(private readonly logger: Logger) {
    this.#server = createServer((req, res) => void this.#dispatch(req, res));
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
    const url = new URL(req.url ?? "/", "http://localhost");
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
      this.logger.error({ err: (err as Error).message, path: route.path }, "http handler failed");
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: "internal error" });
      else res.end();
    }
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
