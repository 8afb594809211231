import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Fastify, { type FastifyInstance } from "fastify";
import type { z } from "zod";
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

/**
 * A route whose body is JSON read against its schema: the handler gets the
 * typed value; a body that is not JSON, or does not fit, is answered 400 with
 * what was wrong, and the handler never runs.
 */
export function jsonRoute<T>(
  schema: z.ZodType<T>,
  handler: (body: T, res: ServerResponse, url: URL, req: IncomingMessage) => unknown,
): RouteHandler {
  return (req, res, url, body) => {
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8") || "{}");
    } catch {
      return sendJson(res, 400, { ok: false, error: "the body is not JSON" });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
      return sendJson(res, 400, { ok: false, error: why });
    }
    return handler(parsed.data, res, url, req);
  };
}

/** A check every request passes before its route: a refusal (status and reason) or null to go on. */
export type RequestGuard = (req: IncomingMessage, url: URL) => { status: number; error: string } | null;

/** Every route's body limit unless it says otherwise: a Bot API update or a form is far smaller. */
export const DEFAULT_MAX_BODY = 1024 * 1024;

const FASTIFY_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

/**
 * The one HTTP server: Fastify, for everything the process serves (webhooks,
 * health, readiness, metrics, `/verify`, the playground and its Bot API, the
 * console). Fastify routes every request and reads every body within its
 * route's limit (`maxBody`: 413 unread beyond it), so no route can be made to
 * buffer an unbounded upload. Routes are handlers on the raw request and
 * response (grammY's webhook adapter, the Bot API simulator and the
 * playground's event stream write their own answers); `raw` routes (the
 * console, a Fastify app of its own with its plugins) get the request before
 * its body is read. Before any route: the request-target is checked (only a
 * path on this server), then the guards.
 */
export class HttpServer {
  readonly #app: FastifyInstance;
  readonly #guards: RequestGuard[] = [];
  readonly #raw: { method: string; path: string; handler: RouteHandler }[] = [];

  constructor(private readonly logger: Logger) {
    this.#app = Fastify({
      logger: false,
      bodyLimit: DEFAULT_MAX_BODY,
      // The playground's event stream and kept-alive webhook connections end with the server.
      forceCloseConnections: true,
      return503OnClosing: false,
      serverFactory: (handler) => createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler),
      // A request the HTTP parser itself refuses (a junk method, bad framing, oversized headers):
      // answered 400/431 when the socket can still be written to, closed otherwise. Never thrown.
      clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
        if (!socket.writable || err.code === "ECONNRESET") return void socket.destroy();
        const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      },
    });
    // Bodies reach the handlers as they came (a webhook's JSON is parsed by grammY, a multipart upload by the simulator).
    this.#app.removeAllContentTypeParsers();
    this.#app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    this.#app.addHook("onRequest", async (req, reply) => {
      const url = requestUrl(req.raw.url);
      if (!url) {
        reply.raw.setHeader("connection", "close");
        return reply.code(400).send({ ok: false, error: "bad request target" });
      }
      for (const check of this.#guards) {
        const refusal = check(req.raw, url);
        if (refusal) return reply.code(refusal.status).send({ ok: false, error: refusal.error });
      }
      const raw = this.#raw.find((r) => (r.method === "*" || r.method === req.method) && matches(r.path, url.pathname));
      if (raw) {
        reply.hijack();
        await this.#run(raw.handler, req.raw, reply.raw, url, Buffer.alloc(0), raw.path);
        return reply;
      }
    });
    this.#app.setNotFoundHandler((_req, reply) => reply.code(404).send({ ok: false, error: "not found" }));
    this.#app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
      if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        reply.raw.setHeader("connection", "close");
        return reply.code(413).send({ ok: false, error: "request body too large" });
      }
      if (err.statusCode && err.statusCode < 500)
        return reply.code(err.statusCode).send({ ok: false, error: "bad request" });
      this.logger.error({ err: err.message, path: req.routeOptions.url ?? "dispatch" }, "http handler failed");
      return reply.code(500).send({ ok: false, error: "internal error" });
    });
  }

  /** Runs a handler on the raw request: anything it throws is logged (no body, no query), 500 if nothing was sent. */
  async #run(handler: RouteHandler, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, path: string) {
    try {
      await handler(req, res, url, body);
    } catch (err) {
      this.logger.error({ err: (err as Error)?.message ?? String(err), path }, "http handler failed");
      if (res.destroyed) return;
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: "internal error" });
      else res.end();
    }
  }

  /** A route: `path` exact, or a prefix when it ends with `*`; a GET route answers HEAD too. */
  route(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): this {
    if (options.raw) {
      this.#raw.push({ method, path, handler });
      return this;
    }
    this.#app.route({
      method: method === "*" ? [...FASTIFY_METHODS] : method,
      url: path,
      bodyLimit: options.maxBody ?? DEFAULT_MAX_BODY,
      handler: async (req, reply) => {
        reply.hijack();
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        await this.#run(handler, req.raw, reply.raw, requestUrl(req.raw.url)!, body, path);
      },
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
    const address = this.#app.server.listening ? this.#app.server.address() : null;
    return address && typeof address === "object" ? address.port : 0;
  }

  async listen(port: number, host = "0.0.0.0"): Promise<number> {
    await this.#app.listen({ port, host });
    return this.port;
  }

  async close(): Promise<void> {
    if (!this.#app.server.listening) return;
    await this.#app.close();
  }
}

const matches = (path: string, pathname: string) =>
  path.endsWith("*") ? pathname.startsWith(path.slice(0, -1)) : pathname === path;

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
