import type { Report } from "../../services/reports.js";
import { html } from "../html.js";
import { chartInColumn, layout, type PageContext } from "./layout.js";

/**
 * The headquarters' overview: the same text, charts and numbers as `/report`,
 * from the same service; the charts are its PNGs, inline.
 */
export function overviewPage(
  c: PageContext,
  o: {
    report: Report | null;
    funnel: string | null;
    roles: string[];
    asOf?: string | null;
    /** A centre coordinator's day: per centre, a line, linked to its attendance page. */
    days?: { code: string; line: string }[];
  },
) {
  return layout(
    { ...c, current: "overview" },
    c.t("console.overview_title"),
    html`<section>
        <h2>${c.t("console.overview_roles")}</h2>
        <ul>
          ${o.roles.map((r) => html`<li>${r}</li>`)}
        </ul>
      </section>
      ${
        o.days?.length
          ? html`<section>
              <h2>${c.t("console.centre_day_title")}</h2>
              <ul>
                ${o.days.map(
                  (x) =>
                    html`<li><a href="/console/attendance?centre=${encodeURIComponent(x.code)}">${x.line}</a></li>`,
                )}
              </ul>
            </section>`
          : ""
      }
      ${
        o.report
          ? html`<section class="report">
                ${o.asOf ? html`<p class="notice">${o.asOf}</p>` : ""}
                <p class="text">${o.report.text}</p>
                ${
                  o.funnel
                    ? html`<h2>${c.t("console.funnel")}</h2>
                        <p class="text">${o.funnel}</p>`
                    : ""
                }
              </section>
              <section class="charts">
                ${o.report.charts.map((chart) => chartInColumn(chart.narrow, chart.title))}
              </section>`
          : html`<p class="notice">${c.t("console.overview_no_report")}</p>`
      }`,
  );
}
