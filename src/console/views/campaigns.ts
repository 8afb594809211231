import { formatIsoDate, formatJalaliDate } from "../../domain/jalali.js";
import type { CampaignView } from "../../services/campaign-board.js";
import { html, type Html } from "../html.js";
import { chartPicture, layout, type PageContext } from "./layout.js";

/** The active campaigns: vows, each message sent and its progress, and Ramadan's ranking of centres with its method. */
export function campaignsPage(c: PageContext, v: { campaigns: CampaignView[]; timeZone: string }): Html {
  const { t } = c;
  const n = (x: number) => x.toLocaleString("fa");
  const one = (x: CampaignView) =>
    html`<section class="campaign">
      <h2>${x.campaign.title}</h2>
      <p>
        ${t(`console.campaigns.template.${x.campaign.template}`)} ·
        ${t("console.campaigns.pledges", { people: n(x.pledges.people), hours: n(x.pledges.hours) })}
        ${
          x.ramadan
            ? html` ·
              ${t("console.campaigns.window", {
                from: formatJalaliDate(x.ramadan.from, "fa", v.timeZone),
                to: formatJalaliDate(new Date(x.ramadan.to.getTime() - 1), "fa", v.timeZone),
              })}`
            : ""
        }
      </p>
      <h3>${t("console.campaigns.runs")}</h3>
      ${
        x.runs.length
          ? html`<div class="table">
              <table>
                <tbody>
                  ${x.runs.map(
                    (r) =>
                      html`<tr>
                        <td>${r.broadcast ? formatJalaliDate(r.broadcast.createdAt, "fa", v.timeZone) : "—"}</td>
                        <td>
                          ${r.broadcast ? (r.broadcast.text.length > 90 ? `${r.broadcast.text.slice(0, 90)}…` : r.broadcast.text) : "—"}
                        </td>
                        <td>
                          ${r.progress ? t("console.campaigns.progress", { sent: n(r.progress.sent), pending: n(r.progress.pending) }) : ""}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="notice">${t("console.campaigns.no_runs")}</p>`
      }
      ${
        x.ramadan
          ? html`<h3>${t("console.campaigns.ranking")}</h3>
              <p class="text">${x.ramadan.report.text}</p>
              ${
                x.ramadan.centres
                  ? chartPicture(x.ramadan.report.chart, x.ramadan.report.chartNarrow, t("console.campaigns.ranking"))
                  : ""
              }
              <h3>${t("console.campaigns.actions")}</h3>
              ${
                x.ramadan.actions.length
                  ? html`<div class="table">
                      <table>
                        <tbody>
                          ${x.ramadan.actions.map(
                            (a) =>
                              html`<tr>
                                <td>${formatIsoDate(a.date, "fa", v.timeZone)}</td>
                                <td>${a.centreName}</td>
                                <td>${t(`action.kind.${a.kind}`)}</td>
                                <td>${t("console.campaigns.participants", { n: n(a.participants) })}</td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>`
                  : html`<p class="notice">${t("console.campaigns.no_actions")}</p>`
              }`
          : ""
      }
      ${
        x.summary
          ? html`<h3>${t("console.campaigns.summary")}</h3>
              <p class="text">${x.summary}</p>`
          : ""
      }
    </section>`;
  return layout(
    { ...c, current: "campaigns" },
    t("console.nav.campaigns"),
    v.campaigns.length ? html`${v.campaigns.map(one)}` : html`<p class="notice">${t("console.campaigns.none")}</p>`,
  );
}
