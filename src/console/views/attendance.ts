import { hoursOf } from "../../domain/ledger.js";
import { AWAITING_APPROVAL, UPCOMING_STATUSES, inCheckInWindow } from "../../domain/sessions.js";
import { CHECK_IN_FAR_METRES } from "../../domain/check-in.js";
import { centreLabeller, digits, num } from "../../format.js";
import type { Centre, Person, ServiceSession } from "../../store/port/index.js";
import { sessionWhen } from "../../services/service-day/index.js";
import { fullName } from "../../services/matching/notices.js";
import { html, type Html } from "../html.js";
import { csrfField, layout, statusNotice, type PageContext } from "./layout.js";

export interface AttendanceView {
  centres: Centre[];
  centre: Centre;
  awaiting: ServiceSession[];
  coming: ServiceSession[];
  people: Map<string, Person | null>;
  links: { platform: string; url: string }[];
  /** Today's six digits, for a volunteer whose phone reads no QR code. */
  digits: string;
  now: Date;
  timeZone: string;
  notice?: string;
}

/**
 * A centre's attendance: its check-in poster and links; sessions awaiting
 * approval (approve the ticked ones or all, correct one with a reason); and
 * today's and the coming week's sessions, with check-in and check-out by hand.
 */
export function attendancePage(c: PageContext, v: AttendanceView): Html {
  const { t } = c;
  const name = (id: string) => {
    const p = v.people.get(id);
    return (p && fullName(p)) || "—";
  };
  const when = (s: ServiceSession) => sessionWhen(t, "fa", v.timeZone, s);
  // The session's day is in its own column: the times alone.
  const clock = new Intl.DateTimeFormat("fa-IR", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: v.timeZone,
  });
  const time = (d: Date | null) => (d ? clock.format(d) : "—");
  const centreLabel = centreLabeller(t, v.centres);
  const choose =
    v.centres.length > 1
      ? html`<form method="get" action="/console/attendance" class="filters">
          <label
            >${t("console.needs.centre")}
            <select name="centre">
              ${v.centres.map(
                (x) =>
                  html`<option value="${x.code}" ${x.code === v.centre.code ? html`selected` : ""}>
                    ${centreLabel(x)}
                  </option>`,
              )}
            </select></label
          >
          <button type="submit">${t("console.attendance.show")}</button>
        </form>`
      : "";
  const poster = html`<section>
    <h2>${t("console.attendance.poster")}</h2>
    <p>
      <img
        src="/console/attendance/poster.png?centre=${v.centre.code}"
        alt="${t("console.attendance.poster")}"
        class="poster"
      />
    </p>
    <p>${t("console.attendance.poster_today")}</p>
    <ul>
      ${v.links.map((l) => html`<li>${t(`platform_name.${l.platform}`)}: <code dir="ltr">${l.url}</code></li>`)}
      <li>${t("console.attendance.digits", { digits: digits("fa", v.digits) })}</li>
    </ul>
    <form method="post" action="/console/attendance/rotate">
      ${csrfField(c)}
      <input type="hidden" name="centre" value="${v.centre.code}" />
      <button type="submit">${t("console.attendance.rotate")}</button>
    </form>
  </section>`;
  const awaiting = html`<section>
    <h2>${t("console.attendance.awaiting")} (${num("fa", v.awaiting.length)})</h2>
    ${
      v.awaiting.length === 0
        ? html`<p>${t("console.attendance.none_awaiting")}</p>`
        : html`<form method="post" action="/console/attendance/approve">
              ${csrfField(c)}
              <input type="hidden" name="centre" value="${v.centre.code}" />
              <div class="table">
                <table>
                  <tr>
                    <th></th>
                    <th>${t("console.attendance.volunteer")}</th>
                    <th>${t("console.attendance.when")}</th>
                    <th>${t("console.attendance.in_out")}</th>
                    <th>${t("console.attendance.hours")}</th>
                  </tr>
                  ${v.awaiting.map(
                    (s) =>
                      html`<tr
                        data-session="${s.id}"
                        class="${s.status === "no_checkout" || (s.checkInDistanceM ?? 0) > CHECK_IN_FAR_METRES ? "flagged" : ""}"
                      >
                        <td>
                          ${
                            s.status === "checked_out" && (s.minutes ?? 0) > 0
                              ? html`<input
                                  type="checkbox"
                                  name="session"
                                  value="${s.id}"
                                  aria-label="${name(s.personId)}"
                                />`
                              : ""
                          }
                        </td>
                        <td>${name(s.personId)}</td>
                        <td>${when(s)}</td>
                        <td>
                          ${time(s.checkInAt)} — ${s.checkOutAt ? time(s.checkOutAt) : t("service.status.no_checkout")}
                          ${
                            (s.checkInDistanceM ?? 0) > CHECK_IN_FAR_METRES
                              ? html`<small data-far
                                  >${t("service.check_in_far", { km: num("fa", Math.round(s.checkInDistanceM! / 100) / 10) })}</small
                                >`
                              : ""
                          }
                        </td>
                        <td>
                          ${s.minutes === null ? "—" : num("fa", hoursOf(s.minutes))}
                          ${s.correctionReason ? html`<small>(${s.correctionReason})</small>` : ""}
                        </td>
                      </tr>`,
                  )}
                </table>
              </div>
              <button type="submit" name="which" value="selected">${t("console.attendance.approve_selected")}</button>
              <button type="submit" name="which" value="all">${t("console.attendance.approve_all")}</button>
            </form>
            <h3>${t("console.attendance.correct")}</h3>
            <form method="post" action="/console/attendance/correct" class="composer">
              ${csrfField(c)}
              <input type="hidden" name="centre" value="${v.centre.code}" />
              <label
                >${t("console.attendance.session")}
                <select name="session" required>
                  ${v.awaiting.map((s) => html`<option value="${s.id}">${name(s.personId)} — ${when(s)}</option>`)}
                </select></label
              >
              <label
                >${t("console.attendance.minutes")} <input name="minutes" type="number" min="0" max="720" required
              /></label>
              <label>${t("console.attendance.reason")} <input name="reason" maxlength="300" required /></label>
              <button type="submit">${t("console.attendance.save_correction")}</button>
            </form>`
    }
  </section>`;
  const coming = html`<section>
    <h2>${t("console.attendance.coming")}</h2>
    ${
      v.coming.length === 0
        ? html`<p>${t("service.digest_none")}</p>`
        : html`<div class="table">
            <table>
              <tr>
                <th>${t("console.attendance.volunteer")}</th>
                <th>${t("console.attendance.when")}</th>
                <th>${t("console.attendance.status")}</th>
                <th></th>
              </tr>
              ${v.coming.map(
                (s) =>
                  html`<tr data-session="${s.id}">
                    <td>${name(s.personId)}</td>
                    <td>${when(s)}</td>
                    <td>${t(`service.status.${s.status}`)}</td>
                    <td>${byHand(c, v, s)}</td>
                  </tr>`,
              )}
            </table>
          </div>`
    }
  </section>`;
  return layout(
    { ...c, current: "attendance" },
    `${t("console.nav.attendance")} — ${v.centre.name}`,
    html`${statusNotice(v.notice)}${choose}${awaiting}${coming}${poster}`,
  );
}

/** Check-in by hand within the window, check-out by hand once in. */
function byHand(c: PageContext, v: AttendanceView, s: ServiceSession): Html | string {
  const kind =
    UPCOMING_STATUSES.includes(s.status) && inCheckInWindow(s, v.now)
      ? "in"
      : s.status === "checked_in"
        ? "out"
        : undefined;
  if (!kind || AWAITING_APPROVAL.includes(s.status)) return "";
  return html`<form method="post" action="/console/attendance/by-hand">
    ${csrfField(c)}
    <input type="hidden" name="session" value="${s.id}" />
    <input type="hidden" name="kind" value="${kind}" />
    <button type="submit">${c.t(`console.attendance.by_hand_${kind}`)}</button>
  </form>`;
}
