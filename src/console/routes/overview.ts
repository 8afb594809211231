import type { FastifyInstance } from "fastify";
import { formatJalaliDateTime, isoDateIn } from "../../domain/jalali.js";
import { attendanceCentres, attendanceSessions } from "../../services/service-day/index.js";
import { headquartersScopeOf } from "../../services/access.js";
import { buildReport, type Report } from "../../services/reports.js";
import { registrationFunnel, type FunnelStep } from "../../services/funnel.js";
import { scopeLabel } from "../../services/labels.js";
import { overviewPage } from "../views/overview.js";
import type { ConsoleDeps, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { everyone } from "../visibility.js";

/** How long a scope's report is reused: its numbers move by the day, and building one with charts takes most of a second at 120,000 volunteers. */
export const OVERVIEW_SECONDS = 60;

/** The overview: the `/report` of the coordinator's scope (headquarters), or their roles. */
export function overviewRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send }) {
  const cache = new Map<string, { at: number; report: Report; funnel: FunnelStep[] }>();
  const reportOf = async (scope: { provinces: string[] | null }) => {
    const key = scope.provinces?.slice().sort().join(",") ?? "*";
    const hit = cache.get(key);
    if (hit && d.clock.now() - hit.at < OVERVIEW_SECONDS * 1000) return hit;
    const fresh = {
      at: d.clock.now(),
      report: await buildReport(
        { store: d.store, i18n: d.i18n, timeZone: d.timeZone },
        scope,
        "fa",
        new Date(d.clock.now()),
      ),
      funnel: await registrationFunnel(d.store, null, scope.provinces, d.actors.admins),
    };
    cache.set(key, fresh);
    return fresh;
  };
  app.get("/console/", async (req, reply) => {
    const actor = req.actor!;
    const t = req.page.t;
    const roles = await Promise.all(
      actor.grants.map(async (g) => `${t(`roles.name.${g.role}`)} — ${await scopeLabel(t, d.store, g.role, g.scope)}`),
    );
    const scope = headquartersScopeOf(actor);
    const built = scope ? await reportOf(scope) : null;
    const report = built?.report ?? null;
    const funnel = built?.funnel ?? null;
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
    // A report reused from the cache says when it was made.
    const asOf =
      built && d.clock.now() - built.at >= 1000
        ? t("console.as_of", { time: formatJalaliDateTime(new Date(built.at), "fa", d.timeZone) })
        : null;
    // A centre's coordinator lands on their day: each centre's sessions today and hours waiting for them.
    const today = isoDateIn(new Date(d.clock.now()), d.timeZone);
    const centres = scope ? [] : (await attendanceCentres(d.serviceDay, actor)).slice(0, 5);
    const days = [];
    for (const centre of centres) {
      const board = await attendanceSessions(d.serviceDay, actor, centre.code);
      if (board)
        days.push({
          code: centre.code,
          line: t("console.centre_day", {
            centre: centre.name,
            today: board.coming.filter((s) => s.date === today).length.toLocaleString("fa"),
            awaiting: board.awaiting.length.toLocaleString("fa"),
          }),
        });
    }
    return h.send(reply, 200, overviewPage(req.page, { report, funnel: funnelText, roles, asOf, days }));
  });
  app.get("/console", (_req, reply) => reply.redirect("/console/", 301));
}

/** Its menu entry: 1st in the menu (`console.nav.overview`). */
export const page: ConsolePageDef = {
  key: "overview",
  order: 10,
  href: "/console/",
  visible: everyone,
  routes: overviewRoutes,
};
