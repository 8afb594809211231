import { formatJalaliDate, jalaliParts } from "../../domain/jalali.js";
import { DOCUMENT_KINDS, requirementLabel, type DocumentKind } from "../../domain/screening.js";
import { DOCUMENT_REJECT_REASONS } from "../../services/screening.js";
import { fullName } from "../../services/matching/notices.js";
import type { Person, ScreeningCheck } from "../../store/port/index.js";
import { html } from "../html.js";
import { csrfField, layout, statusNotice, type PageContext } from "./layout.js";

/** A province's institution and how long its oldest check has waited. */
export interface QueueAge {
  institution: string;
  count: number;
  oldestDays: number;
}

const num = (n: number) => n.toLocaleString("fa");

/** When a check arrived, and how many days it has waited («امروز» on its first day). */
const received = (c: PageContext, at: Date, now: Date, timeZone: string) => {
  const days = Math.floor((+now - +at) / 86_400_000);
  const date = formatJalaliDate(at, "fa", timeZone);
  return days > 0
    ? c.t("console.checks.received", { date, days: num(days) })
    : c.t("console.checks.received_today", { date });
};

/** The review queue (an operator's), and for headquarters each institution's queue and its age. */
export function checksPage(
  c: PageContext,
  v: {
    pending: { check: ScreeningCheck; person: Person | null }[];
    ages: QueueAge[];
    timeZone: string;
    now: Date;
    notice?: string;
  },
) {
  const { t } = c;
  const queue = v.pending.length
    ? html`<ul class="cards">
        ${v.pending.map(
          ({ check, person }) =>
            html`<li>
              <p>
                <a href="/console/checks/${check.id}">${t(requirementLabel(check.requirement))}</a> —
                <span dir="ltr">${person?.volunteerCode ?? "—"}</span> ${person ? fullName(person) : ""}
              </p>
              <p class="muted">${received(c, check.createdAt, v.now, v.timeZone)}</p>
            </li>`,
        )}
      </ul>`
    : html`<p class="notice">${t("console.checks.empty")}</p>`;
  const ages = v.ages.length
    ? html`<h2>${t("console.checks.ages")}</h2>
        <div class="table">
          <table>
            <tbody>
              ${v.ages.map(
                (a) =>
                  html`<tr>
                    <td>${a.institution}</td>
                    <td>${t("console.checks.age_line", { count: num(a.count), days: num(a.oldestDays) })}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
    : "";
  return layout(
    { ...c, current: "checks" },
    t("console.nav.checks"),
    html`${statusNotice(v.notice)}
      <h2>${t("console.checks.queue")}</h2>
      ${queue} ${ages}`,
  );
}

/** One check: the document (an image inline, a PDF by a link), and the decision forms. */
export function checkPage(
  c: PageContext,
  v: {
    check: ScreeningCheck;
    person: Person;
    file: { mime: string; bytes: Buffer } | null;
    timeZone: string;
    now: Date;
  },
) {
  const { t } = c;
  const { check, person } = v;
  const kind = check.requirement.startsWith("document:") ? (check.requirement.slice(9) as DocumentKind) : null;
  const until = jalaliParts(new Date(+v.now + (kind ? DOCUMENT_KINDS[kind].validDays : 365) * 86_400_000), v.timeZone);
  const untilText = `${until.year}/${String(until.month).padStart(2, "0")}/${String(until.day).padStart(2, "0")}`;
  const file = !v.file
    ? html`<p class="notice">${t("screening.review_gone")}</p>`
    : v.file.mime.startsWith("image/")
      ? html`<img
          class="document"
          src="/console/checks/${check.id}/file"
          alt="${t(requirementLabel(check.requirement))}"
        />`
      : html`<p>
          <a href="/console/checks/${check.id}/file" target="_blank" rel="noopener">${t("console.checks.open_pdf")}</a>
        </p>`;
  const decide =
    check.status === "pending"
      ? html`<form method="post" action="/console/checks/${check.id}" class="composer">
            ${csrfField(c)}
            <label
              >${t("console.checks.until")}
              <input name="until" value="${untilText}" dir="ltr" inputmode="numeric" maxlength="10"
            /></label>
            <div class="buttons">
              <button type="submit" name="action" value="approve">${t("console.checks.approve")}</button>
            </div>
          </form>
          <form method="post" action="/console/checks/${check.id}" class="composer">
            ${csrfField(c)}
            <label
              >${t("console.checks.reason")}
              <select name="reason">
                ${DOCUMENT_REJECT_REASONS.map((r) => html`<option value="${r}">${t(`screening.reject_reason.${r}`)}</option>`)}
              </select></label
            >
            <div class="buttons">
              <button type="submit" name="action" value="reject" class="secondary">
                ${t("screening.review_reject")}
              </button>
            </div>
          </form>`
      : html`<p class="notice">${t(`console.checks.status.${check.status}`)}</p>`;
  return layout(
    { ...c, current: "checks" },
    t(requirementLabel(check.requirement)),
    html`<p>
        <span dir="ltr">${person.volunteerCode ?? "—"}</span> ${fullName(person)} —
        ${received(c, check.createdAt, v.now, v.timeZone)}
      </p>
      ${file} ${decide}
      <form method="post" action="/console/checks/${check.id}" class="inline">
        ${csrfField(c)}
        <button type="submit" name="action" value="interview" class="secondary">
          ${t("screening.record_interview")}
        </button>
        <button type="submit" name="action" value="interview_failed" class="secondary">
          ${t("screening.record_interview_failed")}
        </button>
        <button type="submit" name="action" value="signoff" class="secondary">${t("screening.record_signoff")}</button>
      </form>
      <p><a href="/console/checks">${t("console.checks.back")}</a></p>`,
  );
}
