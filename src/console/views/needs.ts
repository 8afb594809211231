import { formatIsoDate, formatJalaliDateTime } from "../../domain/jalali.js";
import { ROLES, WEEKDAYS, DAY_PARTS } from "../../domain/taxonomy.js";
import { byLabel, centreLabeller } from "../../format.js";
import type { Centre, Need, Offer, Person } from "../../store/port/index.js";
import { html, type Html } from "../html.js";
import { needWhat } from "../../services/matching/notices.js";
import { csrfField, layout, statusNotice, type PageContext } from "./layout.js";

const ACTIVE = ["open", "partly_filled", "filled", "review"];
const ENDED = ["filled", "closed", "expired"];

/** A question asked before a need is closed or posted again: what it does, yes, and a way back. */
export interface NeedConfirm {
  action: "close" | "again";
  needId: string;
  text: string;
}

/**
 * The needs of one's centres (with their dates), a form to post one, a close
 * button on each still open and a «post again» on each ended; either asks first.
 */
export function needsPage(
  c: PageContext,
  v: { centres: Centre[]; needs: Need[]; notice?: string; confirm?: NeedConfirm; timeZone: string },
): Html {
  const { t } = c;
  const date = (iso: string) => formatIsoDate(iso, "fa", v.timeZone);
  const button = (action: NeedConfirm["action"], id: string, label: string, extra: Html | "" = "") =>
    html`<form method="post" action="/console/needs/${action}" class="inline">
      ${csrfField(c)}<input type="hidden" name="need" value="${id}" />${extra}
      <button type="submit" class="secondary">${label}</button>
    </form>`;
  const confirm = v.confirm
    ? html`<div class="notice" role="alertdialog">
        <p>${v.confirm.text}</p>
        <div class="buttons">
          ${button(
            v.confirm.action,
            v.confirm.needId,
            t(v.confirm.action === "close" ? "needs.close_yes" : "needs.again_yes"),
            html`<input type="hidden" name="confirmed" value="1" />`,
          )}
          <a href="/console/needs">${t("common.cancel")}</a>
        </div>
      </div>`
    : "";
  const name = new Map(v.centres.map((x) => [x.code, x.name]));
  const what = (n: Need) => needWhat(t, n);
  const centreLabel = centreLabeller(t, v.centres);
  const post = html`<form method="post" action="/console/needs" class="composer">
    ${csrfField(c)}
    <label
      >${t("console.needs.centre")}
      <select name="centre" required>
        ${byLabel("fa", v.centres, (x) => x.name).map(
          (x) => html`<option value="${x.code}">${centreLabel(x)}</option>`,
        )}
      </select></label
    >
    <label
      >${t("console.filter.role")}
      <select name="role" required>
        ${byLabel("fa", [...ROLES], (r) => t(`taxonomy.role.${r.id}`)).map(
          (r) => html`<option value="${r.id}">${t(`taxonomy.role.${r.id}`)}</option>`,
        )}
      </select></label
    >
    <label
      >${t("console.needs.wanted")} <input name="wanted" type="number" min="1" max="50" value="1" required
    /></label>
    <label
      >${t("console.needs.start")}
      <select name="start">
        ${[0, 1, 7].map((d) => html`<option value="${d}">${t(`console.needs.start_in.${d}`)}</option>`)}
      </select></label
    >
    <label
      >${t("console.needs.length")}
      <select name="days">
        ${[7, 30, 90].map((d) => html`<option value="${d}" ${d === 30 ? html`selected` : ""}>${t(`console.needs.days.${d}`)}</option>`)}
      </select></label
    >
    <fieldset>
      <legend>${t("console.needs.slots")}</legend>
      <table class="slots">
        ${WEEKDAYS.map(
          (day) =>
            html`<tr>
              <th>${t(`taxonomy.weekday.${day}`)}</th>
              ${DAY_PARTS.map(
                (part) =>
                  html`<td>
                    <label class="check"
                      ><input type="checkbox" name="slot" value="${day}.${part}" />
                      ${t(`taxonomy.day_part.${part}`)}</label
                    >
                  </td>`,
              )}
            </tr>`,
        )}
      </table>
    </fieldset>
    <label
      >${t("console.needs.reach")}
      <select name="reach">
        <option value="province">${t("need.reach_province")}</option>
        <option value="county">${t("need.reach_county")}</option>
      </select></label
    >
    <label>${t("console.needs.notes")} <textarea name="notes" rows="2" maxlength="300"></textarea></label>
    <div class="buttons"><button type="submit">${t("need.submit")}</button></div>
  </form>`;
  const list = v.needs.length
    ? html`<div class="table">
        <table>
          <tbody>
            ${v.needs.map(
              (n) =>
                html`<tr>
                  <td>${t(`need.status.${n.status}`)}</td>
                  <td><a href="/console/needs/${n.id}">${what(n)}</a></td>
                  <td>${name.get(n.centreCode) ?? n.centreCode}</td>
                  <td>
                    ${t("console.needs.filled", { filled: n.filled.toLocaleString("fa"), wanted: n.wanted.toLocaleString("fa") })}
                  </td>
                  <td>${t("needs.dates", { from: date(n.startDate), to: date(n.endDate) })}</td>
                  <td>
                    ${ACTIVE.includes(n.status) ? button("close", n.id, t("console.needs.close")) : ""}
                    ${
                      n.kind === "centre" && ENDED.includes(n.status)
                        ? button("again", n.id, t("console.needs.again"))
                        : ""
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    : html`<p class="notice">${t("console.needs.empty")}</p>`;
  return layout(
    { ...c, current: "needs" },
    t("console.nav.needs"),
    html`${statusNotice(v.notice)} ${confirm}
      <h2>${t("console.needs.list")}</h2>
      ${list}
      <h2>${t("console.needs.post")}</h2>
      ${post}`,
  );
}

/** One need: its text, and each offer with its score, why, wave, expiry and status. */
export function needPage(
  c: PageContext,
  v: {
    text: string;
    need: Need;
    offers: { offer: Offer; person: Person | null; why: string }[];
    timeZone: string;
    /** The end date as typed in the form (Jalali, Latin digits). */
    end: string;
    notice?: string;
  },
): Html {
  const { t } = c;
  const edit = ACTIVE.includes(v.need.status)
    ? html`<form method="post" action="/console/needs/edit" class="filters">
        ${csrfField(c)}<input type="hidden" name="need" value="${v.need.id}" />
        <label
          >${t("console.needs.wanted")}
          <input name="wanted" type="number" min="1" max="50" value="${v.need.wanted}" required
        /></label>
        <label>${t("console.needs.end")} <input name="end" value="${v.end}" dir="ltr" maxlength="12" required /></label>
        <label>${t("console.needs.notes")} <input name="notes" value="${v.need.notes ?? ""}" maxlength="300" /></label>
        <button type="submit">${t("console.needs.save")}</button>
      </form>`
    : "";
  return layout(
    { ...c, current: "needs" },
    t("console.nav.needs"),
    html`${statusNotice(v.notice)}
      <p class="text">${v.text}</p>
      ${edit}
      <p>
        ${t("console.needs.summary", { status: t(`need.status.${v.need.status}`), waves: v.need.waves.toLocaleString("fa") })}
      </p>
      ${
        v.offers.length
          ? html`<div class="table">
              <table>
                <thead>
                  <tr>
                    ${(["code", "status", "score", "why", "wave", "expires"] as const).map((h) => html`<th>${t(`console.needs.col.${h}`)}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${v.offers.map(
                    ({ offer: o, person, why }) =>
                      html`<tr>
                        <td dir="ltr">${person?.volunteerCode ?? "—"}</td>
                        <td>${t(`needs.offer_status.${o.status}`)}</td>
                        <td>${o.score.toLocaleString("fa")}</td>
                        <td>${why}</td>
                        <td>${o.wave.toLocaleString("fa")}</td>
                        <td>${formatJalaliDateTime(o.expiresAt, "fa", v.timeZone)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="notice">${t("needs.no_offers")}</p>`
      }
      <p><a href="/console/needs">${t("console.needs.back")}</a></p>`,
  );
}
