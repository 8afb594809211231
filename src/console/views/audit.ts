import type { AuditRow } from "../../services/audit-log.js";
import { html } from "../html.js";
import { layout, type PageContext } from "./layout.js";

export interface AuditForm {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: string;
}

/** The audit log, for national admins: filters, the newest 200 rows, the whole selection as a CSV. */
export function auditPage(c: PageContext, o: { form: AuditForm; rows: AuditRow[]; actions: string[]; bad?: boolean }) {
  const { t } = c;
  const f = o.form;
  const query = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]).toString();
  const filters = html`<form method="get" action="/console/audit" class="filters">
    <label
      >${t("console.audit.from")} <input name="from" value="${f.from ?? ""}" placeholder="۱۴۰۵-۰۹-۰۱" maxlength="20"
    /></label>
    <label
      >${t("console.audit.to")} <input name="to" value="${f.to ?? ""}" placeholder="۱۴۰۵-۰۹-۳۰" maxlength="20"
    /></label>
    <label
      >${t("console.audit.actor")}
      <input name="actor" value="${f.actor ?? ""}" placeholder="telegram:123" dir="ltr" maxlength="60"
    /></label>
    <label
      >${t("console.audit.action")}
      <select name="action">
        <option value="">${t("console.filter.any")}</option>
        ${o.actions.map((a) => html`<option value="${a}" ${f.action === a ? html`selected` : ""}>${t(`console.audit.group.${a}`)}</option>`)}
      </select></label
    >
    <label
      >${t("console.audit.outcome")}
      <select name="outcome">
        <option value="">${t("console.filter.any")}</option>
        ${(["ok", "refused"] as const).map((x) => html`<option value="${x}" ${f.outcome === x ? html`selected` : ""}>${t(`audit.outcome.${x}`)}</option>`)}
      </select></label
    >
    <button type="submit">${t("console.filter.apply")}</button>
  </form>`;
  const table = o.rows.length
    ? html`<p class="meta">
          ${t("console.rows", { n: Math.min(o.rows.length, 200).toLocaleString("fa") })} ·
          <a href="/console/audit.csv${query ? `?${query}` : ""}">${t("console.export")}</a>
        </p>
        <div class="table">
          <table>
            <thead>
              <tr>
                ${(["at", "actor", "action", "scope", "target", "outcome"] as const).map((h) => html`<th>${t(`audit.csv.${h}`)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${o.rows.slice(0, 200).map(
                (r) =>
                  html`<tr>
                    <td>${r.at}</td>
                    <td>${r.actor}</td>
                    <td>${r.action}${r.count > 1 ? ` ×${r.count.toLocaleString("fa")}` : ""}</td>
                    <td>${r.scope}</td>
                    <td dir="ltr">${r.target}</td>
                    <td>${r.outcome}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
    : html`<p class="notice">${t("audit.empty")}</p>`;
  return layout(
    { ...c, current: "audit" },
    t("console.nav.audit"),
    html`${o.bad ? html`<p class="notice">${t("audit.bad_range")}</p>` : ""}${filters}${table}`,
  );
}
