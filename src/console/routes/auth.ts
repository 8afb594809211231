import type { FastifyInstance } from "fastify";
import { actorFor, audit, isCoordinator } from "../../services/access.js";
import { redeemLinkToken } from "../links.js";
import { COOKIE, IDLE_SECONDS } from "../session.js";
import { messagePage, signedInPage } from "../views/layout.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";

/** Signing in by a one-time link from the bot's `/console`, and out. */
export function authRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  app.get<{ Querystring: { t?: string } }>(
    "/console/login",
    // Link redemption is rate limited per address: a token cannot be guessed by trying.
    { config: { rateLimit: { max: 20, timeWindow: 60_000 } } },
    async (req, reply) => {
      const redeemed = await redeemLinkToken(d.links, String(req.query.t ?? ""));
      if (!redeemed.ok) {
        if (redeemed.error !== "malformed")
          await audit(d.store, d.logger, {
            actor: "unknown",
            action: "console.signin",
            scope: "*",
            target: redeemed.error,
            outcome: "refused",
          });
        return h.refuse(req, reply, 403, redeemed.error);
      }
      const actor = await actorFor(d.store, d.config, redeemed.value);
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
        maxAge: IDLE_SECONDS,
      });
      // Not a redirect: a link opened from the messenger (another site) is a cross-site navigation, and a browser
      // sends no SameSite=Strict cookie along its redirects. A page of our own that moves on is same-site.
      return h.send(reply, 200, signedInPage(req.page.t));
    },
  );

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
