import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { attachment } from "../../services/exports.js";
import { parseJalaliDateTime } from "../../domain/jalali-parse.js";
import { readAuditLog, type AuditQuery } from "../../services/audit-log.js";
import { auditPage, type AuditForm } from "../views/audit.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import type { Language } from "../../store/port/index.js";
import { nationalOnly } from "../visibility.js";

/** The action codes offered in the filter, by their first part (`need` covers `need.post`, `need.close`…). */
const ACTION_GROUPS = [
  "audit",
  "broadcast",
  "campaign",
  "centre",
  "console",
  "export",
  "hours",
  "import",
  "indicators",
  "invite",
  "ledger",
  "need",
  "offer",
  "report",
  "request",
  "role",
  "veteran",
];

/** The form's fields as typed, bounded; and the query they make (`undefined`: a date that does not read). */
function read(raw: unknown, timeZone: string): { form: AuditForm; query: AuditQuery | undefined } {
  const from = (raw ?? {}) as Record<string, unknown>;
  const form: AuditForm = {};
  for (const k of ["from", "to", "actor", "action", "outcome"] as const)
    if (typeof from[k] === "string" && from[k]) form[k] = (from[k] as string).trim().slice(0, 60);
  const query: AuditQuery = {};
  if (form.from) {
    const since = parseJalaliDateTime(form.from, timeZone);
    const last = parseJalaliDateTime(form.to ?? form.from, timeZone);
    if (!since.ok || !last.ok || last.value < since.value) return { form, query: undefined };
    query.since = since.value;
    query.until = new Date(last.value.getTime() + 24 * 3_600_000);
  }
  if (form.actor) query.actor = form.actor;
  if (form.action && ACTION_GROUPS.includes(form.action)) query.action = form.action;
  if (form.outcome === "ok" || form.outcome === "refused") query.outcome = form.outcome;
  return { form, query };
}

/** The audit log for national admins, through the service behind `/audit`; its read and export are audited. */
export function auditRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const deps = { store: d.store, logger: d.logger, i18n: d.i18n, timeZone: d.timeZone };
  const load = async (req: FastifyRequest, reply: FastifyReply) => {
    const { form, query } = read(req.query, d.timeZone);
    const result = await readAuditLog(deps, req.actor!, query ?? {}, "fa" as Language);
    if (!result.ok) return { refused: h.refuse(req, reply, 403, "not_allowed") };
    return { form, bad: query === undefined, ...result.value };
  };
  app.get("/console/audit", async (req, reply) => {
    const r = await load(req, reply);
    if ("refused" in r) return r.refused;
    return h.send(reply, 200, auditPage(req.page, { form: r.form, rows: r.rows, actions: ACTION_GROUPS, bad: r.bad }));
  });
  app.get("/console/audit.csv", async (req, reply) => {
    const r = await load(req, reply);
    if ("refused" in r) return r.refused;
    return reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", attachment("audit", req.page.t, new Date(d.clock.now()), d.timeZone))
      .header("cache-control", "no-store")
      .send(r.csv);
  });
}

/** Its menu entry: 9th in the menu (`console.nav.audit`). */
export const page: ConsolePageDef = {
  key: "audit",
  order: 90,
  href: "/console/audit",
  visible: nationalOnly,
  routes: auditRoutes,
};
