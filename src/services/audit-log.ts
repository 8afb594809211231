import { formatJalaliDateTime } from "../domain/jalali.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { I18n } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { AuditRecord, Language, Store } from "../store/port/index.js";
import { audit, isNational, type Actor } from "./access.js";
import { csvWithBom } from "./exports.js";
import { actorLabel, auditScopeLabel } from "./labels.js";

/** How many records a read carries without a date range. */
export const AUDIT_EXPORT_LIMIT = 5000;
/** How many records one date range's read may carry (a larger range is cut, and the reader told). */
export const AUDIT_RANGE_LIMIT = 100_000;

export interface AuditQuery {
  since?: Date;
  until?: Date;
  /** `platform:userId`, `cli:…`, as written. */
  actor?: string;
  /** An action's code (`need.post`), or its first part (`need`). */
  action?: string;
  outcome?: "ok" | "refused";
}

/** An audit record as a national admin reads it: Persian labels, Tehran time, Jalali dates. */
export interface AuditRow {
  at: string;
  lastAt: string;
  /** How many times in a row (repeats are folded into one record). */
  count: number;
  actor: string;
  action: string;
  scope: string;
  target: string;
  outcome: string;
  details: string;
}

/**
 * The audit log for national admins (the chat's `/audit` and the console):
 * read, labelled and exported as a CSV, the read itself audited. Everyone
 * else is refused, and the refusal audited.
 */
export async function readAuditLog(
  d: { store: Store; logger: Logger; i18n: I18n; timeZone: string },
  reader: Actor,
  q: AuditQuery,
  lang: Language,
): Promise<Result<{ rows: AuditRow[]; csv: Buffer; cut: boolean; limit: number }, "not_allowed">> {
  if (!isNational(reader)) {
    await audit(d.store, d.logger, {
      actor: reader.id,
      action: "audit.read",
      scope: "*",
      target: null,
      outcome: "refused",
    });
    return fail("not_allowed");
  }
  const limit = q.since ? AUDIT_RANGE_LIMIT : AUDIT_EXPORT_LIMIT;
  const fetched = await d.store.access.auditLog({
    ...(q.since ? { since: q.since } : {}),
    ...(q.until ? { until: q.until } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    limit,
  });
  const records = fetched.filter(
    (r) =>
      (!q.action || r.action === q.action || r.action.startsWith(`${q.action}.`)) &&
      (!q.outcome || r.outcome === q.outcome),
  );
  await audit(d.store, d.logger, {
    actor: reader.id,
    action: "audit.export",
    scope: "*",
    target: null,
    outcome: "ok",
    details: {
      records: records.length,
      filter: {
        ...(q.since ? { since: q.since, until: q.until } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.outcome ? { outcome: q.outcome } : {}),
      },
    },
  });
  const t = d.i18n.t(lang);
  const actors = new Map<string, string>();
  const scopes = new Map<string, string>();
  for (const r of records) {
    if (!actors.has(r.actor)) actors.set(r.actor, await actorLabel(t, lang, d.store, r.actor));
    if (!scopes.has(r.scope)) scopes.set(r.scope, await auditScopeLabel(t, d.store, r.scope));
  }
  const rows = records.map((r: AuditRecord) => ({
    at: formatJalaliDateTime(r.at, lang, d.timeZone),
    lastAt: formatJalaliDateTime(r.lastAt, lang, d.timeZone),
    count: r.count,
    actor: actors.get(r.actor)!,
    action: t(`audit.action.${r.action}`, { defaultValue: r.action }),
    scope: scopes.get(r.scope)!,
    target: r.target ?? "",
    outcome: t(`audit.outcome.${r.outcome}`),
    details: r.details ? JSON.stringify(r.details) : "",
  }));
  const csv = csvWithBom(
    (["at", "last_at", "count", "actor", "action", "scope", "target", "outcome", "details"] as const).map((h) =>
      t(`audit.csv.${h}`),
    ),
    rows.map((r) => [r.at, r.lastAt, r.count, r.actor, r.action, r.scope, r.target, r.outcome, r.details]),
  );
  return ok({ rows, csv, cut: fetched.length >= limit, limit });
}
