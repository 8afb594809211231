import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => unknown | Promise<unknown>;

interface Route {
  method: string;
  /** Exact path, or a prefix when it ends with `*`. */
  path: string;
  handler: RouteHandler;
}

/** A small router on node:http: webhooks, health, readiness (and later metrics, playground). */
export class HttpServer {
  readonly #routes: Route[] = [];
  readonly #server: Server;

  constructor(private readonly logger: Logger) {
    this.#server = createServer((req, res) => void this.#dispatch(req, res));
  }

  route(method: string, path: string, handler: RouteHandler): this {
    this.#routes.push({ method, path, handler });
    return this;
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
        (r.method === req.method || (r.method === "GET" && req.method === "HEAD")) &&
        (r.path.endsWith("*") ? url.pathname.startsWith(r.path.slice(0, -1)) : url.pathname === r.path),
    );
    if (!route) return sendJson(res, 404, { ok: false, error: "not found" });
    try {
      await route.handler(req, res, url);
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
