import type { FastifyInstance } from "fastify";
import { headquartersScopeOf } from "../../services/access.js";
import { buildReport } from "../../services/reports.js";
import { registrationFunnel } from "../../services/funnel.js";
import { scopeLabel } from "../../services/labels.js";
import { overviewPage } from "../views/overview.js";
import type { ConsoleDeps, Send } from "../types.js";

/** The overview: the `/report` of the coordinator's scope (headquarters), or their roles. */
export function overviewRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send }) {
  app.get("/console/", async (req, reply) => {
    const actor = req.actor!;
    const t = req.page.t;
    const roles = await Promise.all(
      actor.grants.map(async (g) => `${t(`roles.name.${g.role}`)} — ${await scopeLabel(t, d.store, g.role, g.scope)}`),
    );
    const scope = headquartersScopeOf(actor);
    const report = scope
      ? await buildReport({ store: d.store, i18n: d.i18n, timeZone: d.config.timeZone }, scope, "fa")
      : null;
    const funnel = scope ? await registrationFunnel(d.store, null, scope.provinces) : null;
    const funnelText = funnel
      ? funnel
          .map((r) =>
            t(r.step === "registered" ? "report.funnel_done" : "report.funnel_line", {
              step: t(r.step === "consent" ? "report.funnel_consent" : `field.${r.step}`),
              reached: r.reached.toLocaleString("fa"),
              left: r.left.toLocaleString("fa"),
            }),
          )
          .join("\n")
      : null;
    return h.send(reply, 200, overviewPage(req.page, { report, funnel: funnelText, roles }));
  });
  app.get("/console", (_req, reply) => reply.redirect("/console/", 301));
}
