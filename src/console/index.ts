import { readFileSync } from "node:fs";
import { stripBidiControls } from "../domain/normalize.js";
import { createRequire } from "node:module";
import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import { audit, isCoordinator, type Actor } from "../services/access.js";
import type { Html } from "./html.js";
import { COOKIE, csrfMatches, type ConsoleSession } from "./session.js";
import { menuOf, PAGES } from "./pages.js";
import { messagePage, type PageContext } from "./views/layout.js";
import { actorLabel } from "../services/labels.js";
import { authRoutes } from "./routes/auth.js";
import type { ConsoleDeps } from "./types.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in account, its grants read again for this request. */
    actor: Actor | null;
    consoleSession: ConsoleSession | null;
    page: PageContext;
  }
}

const FONT = createRequire(import.meta.url).resolve("vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2");
const CSS = new URL("./static/console.css", import.meta.url);
const JS = new URL("./static/console.js", import.meta.url);

/** Paths a signed-out browser may ask for. */
const OPEN = ["/console/login", "/console/static/"];

/**
 * The coordinators' web console: Fastify, under /console, inside the app's
 * HTTP server. It holds no access rule of its own: every request reads the
 * account's grants again (`actors.of`, as the chat does) and every page asks
 * the same services as the chat commands.
 */
export async function createConsole(d: ConsoleDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 32 * 1024,
    trustProxy: d.trustProxy.length > 0 ? d.trustProxy : false,
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        // One static file of progressive enhancement; never inline script.
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        styleSrc: ["'self'"],
        fontSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    // The console is same-origin only; no referrer leaves it (a link's token least of all).
    referrerPolicy: { policy: "no-referrer" },
    hsts: d.secure,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 32 * 1024 });
  await app.register(rateLimit, { global: false });
  app.decorateRequest("actor", null);
  app.decorateRequest("consoleSession", null);
  app.decorateRequest("page", null as unknown as PageContext);

  const t = d.i18n.t("fa");
  const send = (reply: FastifyReply, status: number, page: Html) =>
    reply.code(status).header("cache-control", "no-store").type("text/html; charset=utf-8").send(page.value);
  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, key: string) =>
    send(reply, status, messagePage(req.page ?? { t }, t("console.refused_title"), t(`console.refused.${key}`)));

  // Free text arrives here as form fields: bidirectional overrides are taken out at the edge, as in the chat.
  app.addHook("preValidation", async (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === "object")
      for (const [k, v] of Object.entries(body))
        if (typeof v === "string") body[k] = stripBidiControls(v).text;
        else if (Array.isArray(v)) body[k] = v.map((x) => (typeof x === "string" ? stripBidiControls(x).text : x));
  });

  // Who is asking, for every request: the session, then the account's grants now.
  app.addHook("preHandler", async (req, reply) => {
    req.page = { t };
    const path = req.url.split("?")[0]!;
    if (OPEN.some((p) => path === p || (p.endsWith("/") && path.startsWith(p)))) return;
    const id = req.cookies[COOKIE];
    const session = await d.sessions.get(id);
    if (!session) return refuse(req, reply, 401, "signed_out");
    const actor = await d.actors.of(session.ref);
    if (!isCoordinator(actor)) {
      // A revoked role closes the session at once.
      await d.sessions.end(id);
      reply.clearCookie(COOKIE, { path: "/console" });
      return refuse(req, reply, 403, "no_role");
    }
    if (req.method === "POST" && !csrfMatches(session, (req.body as Record<string, unknown> | undefined)?._csrf)) {
      await audit(d.store, d.logger, {
        actor: actor.id,
        action: "console.csrf",
        scope: "*",
        target: path,
        outcome: "refused",
      });
      return refuse(req, reply, 403, "csrf");
    }
    req.actor = actor;
    req.consoleSession = session;
    req.page = { t, csrf: session.csrf, who: await actorLabel(t, "fa", d.store, actor.id), pages: menuOf(actor) };
  });

  app.get("/console/static/console.css", (_req, reply) =>
    reply.header("cache-control", "max-age=3600").type("text/css; charset=utf-8").send(readFileSync(CSS)),
  );
  app.get("/console/static/console.js", (_req, reply) =>
    reply.header("cache-control", "max-age=3600").type("text/javascript; charset=utf-8").send(readFileSync(JS)),
  );
  app.get("/console/static/vazirmatn.woff2", (_req, reply) =>
    reply.header("cache-control", "max-age=86400").type("font/woff2").send(readFileSync(FONT)),
  );
  authRoutes(app, d, { send, refuse });
  for (const page of PAGES) page.routes(app, d, { send, refuse });
  app.setNotFoundHandler((req, reply) => refuse(req, reply, 404, "not_allowed"));
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (err.statusCode === 429) return refuse(req, reply, 429, "too_many");
    if (err.statusCode && err.statusCode < 500) return refuse(req, reply, err.statusCode, "bad_query");
    d.logger.error({ err: err.message, path: req.url.split("?")[0] }, "console request failed");
    return refuse(req, reply, 500, "bad_query");
  });
  await app.ready();
  return app;
}

/** Hands a raw request of the app's HTTP server to the console. */
export const consoleHandler = (app: FastifyInstance) => (req: IncomingMessage, res: ServerResponse) =>
  app.routing(req, res);
