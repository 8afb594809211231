import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { attachment } from "../../services/exports.js";
import { audit, headquartersScopeOf } from "../../services/access.js";
import { volunteersCsv } from "../../services/reports.js";
import { resolveTypedCounties } from "../../services/places.js";
import { revealPhone, volunteersPage as readVolunteers, type VolunteerQuery } from "../../services/volunteers.js";
import { PROVINCES } from "../../domain/taxonomy.js";
import { typedCountiesPage, volunteersPage } from "../views/volunteers.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { headquarters } from "../visibility.js";

const QUERY_KEYS = [
  "province",
  "county",
  "skill",
  "role",
  "free",
  "source",
  "days",
  "veteran",
  "text",
  "after",
] as const;

/** Only the known fields, each a string of bounded length (a repeated field: its first value). */
function queryOf(raw: unknown): VolunteerQuery {
  const q: VolunteerQuery = {};
  const from = (raw ?? {}) as Record<string, unknown>;
  for (const k of QUERY_KEYS) {
    const v = Array.isArray(from[k]) ? from[k][0] : from[k];
    if (typeof v === "string" && v !== "") q[k] = v.slice(0, 200);
  }
  return q;
}

/** An export narrower than this is recorded with the volunteer code of each row: whose phones went out. */
export const EXPORT_NAMES_AT_MOST = 20;

/**
 * What an export's audit record keeps: its filter (a free-text search only as
 * its length: it may be a name or a phone), its row count, and for a narrow
 * export the volunteer codes it carried.
 */
export function exportDetails(q: VolunteerQuery, rows: number, codes: string[]): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const k of QUERY_KEYS)
    if (k !== "after" && q[k] !== undefined) filter[k] = k === "text" ? `[search, ${q[k]!.length} characters]` : q[k];
  return { rows, filter, ...(rows <= EXPORT_NAMES_AT_MOST ? { volunteers: codes } : {}) };
}

/** The volunteers table of a headquarters' scope, a phone's audited reveal, and the audited export. */
export function volunteerRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const render = async (req: FastifyRequest, reply: FastifyReply, query: VolunteerQuery, revealed?: string) => {
    const actor = req.actor!;
    const page = await readVolunteers(d, actor, query, new Date(d.clock.now()));
    if (!page.ok) return h.refuse(req, reply, page.error === "bad_query" ? 400 : 403, page.error);
    const scope = headquartersScopeOf(actor)!;
    return h.send(
      reply,
      200,
      volunteersPage(req.page, {
        query,
        provinces: scope.provinces ?? PROVINCES.map((p) => p.id),
        people: page.value.people,
        next: page.value.next,
        timeZone: d.timeZone,
        ...(revealed ? { revealed } : {}),
      }),
    );
  };

  app.get("/console/volunteers", (req, reply) => render(req, reply, queryOf(req.query)));

  // Counties typed as text, not in the list: on their own page (it reads every volunteer of the scope).
  app.get("/console/volunteers/counties", async (req, reply) => {
    const scope = headquartersScopeOf(req.actor!);
    if (!scope) return h.refuse(req, reply, 403, "not_allowed");
    const typed = await resolveTypedCounties(d, req.actor!.id, false, scope.provinces);
    return h.send(reply, 200, typedCountiesPage(req.page, typed));
  });

  app.post("/console/volunteers/reveal", async (req, reply) => {
    const person = String((req.body as Record<string, unknown>)?.person ?? "");
    const shown = await revealPhone(d, req.actor!, person);
    if (!shown.ok) return h.refuse(req, reply, 403, shown.error);
    return render(req, reply, queryOf(req.query), shown.value.id);
  });

  app.get("/console/volunteers.csv", async (req, reply) => {
    const actor = req.actor!;
    const scope = headquartersScopeOf(actor);
    const q = queryOf(req.query);
    // The same checks as the table: a province outside the scope is refused (and audited) here too.
    const checked = await readVolunteers(d, actor, { ...q, after: undefined }, new Date(d.clock.now()));
    if (!scope || !checked.ok)
      return h.refuse(req, reply, checked.ok ? 403 : 400, checked.ok ? "not_allowed" : checked.error);
    const { csv, rows, codes } = await volunteersCsv(
      { store: d.store, i18n: d.i18n, timeZone: d.timeZone },
      scope,
      "fa",
      checked.value.filter,
    );
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "console.export",
      scope: scope.provinces?.join(",") ?? "*",
      target: null,
      outcome: "ok",
      details: exportDetails(q, rows, codes),
    });
    return reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", attachment("volunteers", req.page.t, new Date(d.clock.now()), d.timeZone))
      .header("cache-control", "no-store")
      .send(csv);
  });
}

/** Its menu entry: 2nd in the menu (`console.nav.volunteers`). */
export const page: ConsolePageDef = {
  key: "volunteers",
  order: 20,
  href: "/console/volunteers",
  visible: headquarters,
  routes: volunteerRoutes,
};
