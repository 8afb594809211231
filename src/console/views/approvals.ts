import { REJECT_REASONS } from "../../domain/needs.js";
import type { Approval } from "../../services/matching/approvals.js";
import { html } from "../html.js";
import { csrfField, layout, type PageContext } from "./layout.js";

/** An institution operator's queue: approve one or many, or reject with a reason. */
export function approvalsPage(
  c: PageContext,
  o: { queue: Approval[]; done?: { approved: number; rejected: number; failed: number } },
) {
  const { t } = c;
  const done = o.done
    ? html`<p class="notice" role="status">
        ${t("console.approvals.done", {
          approved: o.done.approved.toLocaleString("fa"),
          rejected: o.done.rejected.toLocaleString("fa"),
          failed: o.done.failed.toLocaleString("fa"),
        })}
      </p>`
    : "";
  const body = o.queue.length
    ? html`<form method="post" action="/console/approvals" class="queue">
        ${csrfField(c)}
        <ul class="cards">
          ${o.queue.map(
            (a) =>
              html`<li>
                <label class="check"
                  ><input type="checkbox" name="offer" value="${a.offer.id}" /> ${t("console.approvals.choose")}</label
                >
                <p class="text">${a.text}</p>
              </li>`,
          )}
        </ul>
        <div class="actions">
          <button type="submit" name="decision" value="approve">${t("console.approvals.approve")}</button>
          <label
            >${t("console.approvals.reason")}
            <select name="reason">
              ${REJECT_REASONS.map((r) => html`<option value="${r}">${t(`match.reject_reason.${r}`)}</option>`)}
            </select></label
          >
          <button type="submit" name="decision" value="reject" class="secondary">
            ${t("console.approvals.reject")}
          </button>
        </div>
      </form>`
    : html`<p class="notice">${t("approvals.none")}</p>`;
  return layout({ ...c, current: "approvals" }, t("console.nav.approvals"), html`${done}${body}`);
}
