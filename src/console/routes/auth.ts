import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { crossSite } from "../../server/origin.js";
import { audit, isCoordinator } from "../../services/access.js";
import { checkLinkToken, redeemLinkToken, type LinkRefusal } from "../links.js";
import { ABSOLUTE_SECONDS, COOKIE, IDLE_SECONDS } from "../session.js";
import { messagePage, signedInPage, signInPage } from "../views/layout.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";

/** Signing in by a one-time link from the bot's `/console`, and out. */
export function authRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  // Link redemption is rate limited per address (the socket's, or TRUST_PROXY's client): no token is guessed by trying.
  const limited = { config: { rateLimit: { max: 20, timeWindow: 60_000 } } };
  const refused = async (req: FastifyRequest, reply: FastifyReply, error: LinkRefusal) => {
    if (error !== "malformed")
      await audit(d.store, d.logger, {
        actor: "unknown",
        action: "console.signin",
        scope: "*",
        target: error,
        outcome: "refused",
      });
    return h.refuse(req, reply, 403, error);
  };

  // The link from the chat: a page with one button. A GET spends nothing, so a preview or a scanner cannot.
  app.get<{ Querystring: { t?: string } }>("/console/login", limited, async (req, reply) => {
    const token = String(req.query.t ?? "");
    const checked = await checkLinkToken(d.links, token);
    if (!checked.ok) return refused(req, reply, checked.error);
    return h.send(reply, 200, signInPage(req.page.t, token));
  });

  app.post("/console/login", limited, async (req, reply) => {
    // The page's own form only: another site's page posting a link it saw is refused.
    if (crossSite(req.headers)) return h.refuse(req, reply, 403, "csrf");
    const token = String((req.body as Record<string, unknown> | undefined)?.t ?? "").slice(0, 400);
    {
      const redeemed = await redeemLinkToken(d.links, token);
      if (!redeemed.ok) return refused(req, reply, redeemed.error);
      const actor = await d.actors.of(redeemed.value);
      if (!isCoordinator(actor)) {
        await audit(d.store, d.logger, {
          actor: actor.id,
          action: "console.signin",
          scope: "*",
          target: null,
          outcome: "refused",
        });
        return h.refuse(req, reply, 403, "no_role");
      }
      const { id } = await d.sessions.create(redeemed.value);
      await audit(d.store, d.logger, {
        actor: actor.id,
        action: "console.signin",
        scope: "*",
        target: null,
        outcome: "ok",
      });
      reply.setCookie(COOKIE, id, {
        path: "/console",
        httpOnly: true,
        sameSite: "strict",
        secure: d.secure,
        maxAge: Math.min(IDLE_SECONDS, ABSOLUTE_SECONDS),
      });
      // A page of our own that moves on (same-site, so the Strict cookie goes along).
      return h.send(reply, 200, signedInPage(req.page.t));
    }
  });

  app.post("/console/logout", async (req, reply) => {
    await d.sessions.end(req.cookies[COOKIE]);
    reply.clearCookie(COOKIE, { path: "/console" });
    return h.send(
      reply,
      200,
      messagePage({ t: req.page.t }, req.page.t("console.title"), req.page.t("console.signed_out")),
    );
  });
}
