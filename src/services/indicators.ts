import { addDaysIso } from "../domain/jalali.js";
import { centreAccount, hoursOf } from "../domain/ledger.js";
import { ramadanStart } from "../domain/ramadan.js";
import { countyLabel, num } from "../format.js";
import type { I18n } from "../i18n.js";
import { renderBarChart } from "../render/chart.js";
import type { Campaign, Centre, Language, Store } from "../store/port/index.js";
import { csvWithBom } from "./exports.js";

/**
 * Ramadan indicators per "markaz-e mosbat-e zendegi" (positive-life neighbourhood
 * centre): registrations through its link, local actions it reported and
 * their participants, needs filled and volunteer hours at the centre, all
 * within the 30 days of the campaign, and a ranking by documented points.
 */
export const POINTS = { registration: 1, action: 5, participant: 0.1, needFilled: 3, hour: 1 } as const;

export interface CentreIndicator {
  centre: Centre;
  registrations: number;
  actions: number;
  participants: number;
  needsFilled: number;
  hours: number;
  points: number;
  rank: number;
}

/** The campaign's 30 days: [from, to) as instants, and the same as local dates for reported actions. */
export function campaignWindow(c: Pick<Campaign, "hijriYear" | "adjustDays">) {
  const from = ramadanStart(c.hijriYear!, c.adjustDays);
  const to = new Date(from.getTime() + 30 * 86_400_000);
  const firstDay = from.toISOString().slice(0, 10);
  return { from, to, firstDay, lastDay: addDaysIso(firstDay, 29) };
}

export async function ramadanIndicators(
  store: Store,
  campaign: Pick<Campaign, "hijriYear" | "adjustDays">,
  provinces: string[] | null,
  timeZone: string,
): Promise<CentreIndicator[]> {
  const w = campaignWindow(campaign);
  const all = provinces
    ? (await Promise.all(provinces.map((p) => store.centres.listCentres({ province: p })))).flat()
    : await store.centres.listCentres();
  const centres = all.filter((c) => c.kind === "positive_life");
  const codes = centres.map((c) => c.code);
  const stats = await store.reports.registrations(
    { provinces: provinces ?? undefined, from: w.from, to: w.to },
    w.from,
    timeZone,
  );
  const bySource = new Map(stats.bySource.map((c) => [c.key, c.n]));
  const actions = await store.centres.actions({ centreCodes: codes, from: w.firstDay, to: w.lastDay });
  const needs = (await store.needs.list({ centreCodes: codes })).filter(
    (n) => n.createdAt >= w.from && n.createdAt < w.to,
  );
  const rows = await Promise.all(
    centres.map(async (centre) => {
      const mine = actions.filter((a) => a.centreCode === centre.code);
      const registrations = bySource.get(centre.code) ?? 0;
      const participants = mine.reduce((s, a) => s + a.participants, 0);
      const needsFilled = needs.filter((n) => n.centreCode === centre.code).reduce((s, n) => s + n.filled, 0);
      const hours = hoursOf(0 - (await store.ledger.balance(centreAccount(centre.code), w)));
      const points =
        Math.round(
          (registrations * POINTS.registration +
            mine.length * POINTS.action +
            participants * POINTS.participant +
            needsFilled * POINTS.needFilled +
            hours * POINTS.hour) *
            10,
        ) / 10;
      return { centre, registrations, actions: mine.length, participants, needsFilled, hours, points, rank: 0 };
    }),
  );
  rows.sort(
    (a, b) => b.points - a.points || b.registrations - a.registrations || a.centre.code.localeCompare(b.centre.code),
  );
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

/** The indicators as text (top `top`), a ranking chart and a CSV of every centre. */
export function indicatorsReport(i18n: I18n, lang: Language, title: string, rows: CentreIndicator[], top = 10) {
  const t = i18n.t(lang);
  const n = (v: number) => num(lang, v);
  const line = (r: CentreIndicator) =>
    t("indicators.line", {
      rank: n(r.rank),
      centre: r.centre.name,
      county: countyLabel(t, r.centre.province, r.centre.county),
      registrations: n(r.registrations),
      actions: n(r.actions),
      participants: n(r.participants),
      needs: n(r.needsFilled),
      hours: n(r.hours),
      points: n(r.points),
    });
  const text = rows.length
    ? `${t("indicators.header", { title })}\n\n${rows.slice(0, top).map(line).join("\n")}\n\n${t("indicators.method", {
        registration: n(POINTS.registration),
        action: n(POINTS.action),
        participant: n(POINTS.participant),
        need: n(POINTS.needFilled),
        hour: n(POINTS.hour),
      })}`
    : t("indicators.none");
  const ranking = (layout: "wide" | "narrow") =>
    renderBarChart({
      title: t("indicators.chart", { title }),
      rows: rows.slice(0, 20).map((r) => ({ label: r.centre.name, value: r.points })),
      format: n,
      direction: lang === "fa" ? "rtl" : "ltr",
      layout,
    });
  const chart = ranking("wide");
  // For a phone's screen: the same ranking at 480 px, its words the same size.
  const chartNarrow = ranking("narrow");
  const csv = csvWithBom(
    (
      [
        "rank",
        "code",
        "centre",
        "province",
        "county",
        "registrations",
        "actions",
        "participants",
        "needs_filled",
        "hours",
        "points",
      ] as const
    ).map((h) => t(`export.indicators.${h}`)),
    rows.map((r) => [
      r.rank,
      r.centre.code,
      r.centre.name,
      t(`taxonomy.province.${r.centre.province}`),
      countyLabel(t, r.centre.province, r.centre.county),
      r.registrations,
      r.actions,
      r.participants,
      r.needsFilled,
      r.hours,
      r.points,
    ]),
  );
  return { text, chart, chartNarrow, csv };
}
