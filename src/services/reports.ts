import { formatIsoDate, isoDateIn, formatJalaliDate } from "../domain/jalali.js";
import { centreAccount, hoursOf } from "../domain/ledger.js";
import { ACTIVE_NEED_STATUSES, NEED_STATUSES } from "../domain/needs.js";
import { countyLabel, num } from "../format.js";
import type { I18n } from "../i18n.js";
import { renderBarChart } from "../render/chart.js";
import type { Count, Language, PageKey, Store, VolunteerFilter } from "../store/port/index.js";
import { csvWithBom } from "./exports.js";

/**
 * Reports for national and provincial headquarters: short text, PNG charts
 * (Persian labels, right to left, Jalali dates) and one CSV (UTF-8 with BOM).
 * Everything is anonymous counts, and a provincial admin's report covers
 * only their province(s).
 */

export interface Report {
  text: string;
  /** Each chart wide (the chat, a laptop) and narrow (a phone, a column), with its title for a caption or alt text. */
  charts: { name: string; title: string; png: Buffer; narrow: Buffer }[];
  csv: Buffer;
}

const DAYS = 30;

export async function buildReport(
  d: { store: Store; i18n: I18n; timeZone: string },
  scope: { provinces: string[] | null },
  lang: Language,
  now: Date,
): Promise<Report> {
  const t = d.i18n.t(lang);
  const n = (v: number) => num(lang, v);
  const since = new Date(now.getTime() - DAYS * 86_400_000);
  const stats = await d.store.reports.registrations({ provinces: scope.provinces ?? undefined }, since, d.timeZone);
  const centres = scope.provinces
    ? (await Promise.all(scope.provinces.map((p) => d.store.centres.listCentres({ province: p })))).flat()
    : await d.store.centres.listCentres();
  const needs = await d.store.needs.list({ centreCodes: centres.map((c) => c.code) });
  const byStatus = Object.fromEntries(NEED_STATUSES.map((s) => [s, needs.filter((x) => x.status === s).length]));
  const openPlaces = new Map<string, number>();
  for (const need of needs)
    if (need.role && ACTIVE_NEED_STATUSES.includes(need.status))
      openPlaces.set(need.role, (openPlaces.get(need.role) ?? 0) + need.wanted - need.filled);
  const centreMinutes = (await Promise.all(centres.map((c) => d.store.ledger.balance(centreAccount(c.code))))).reduce(
    (s, m) => s - m,
    0,
  );
  const scopeName = scope.provinces
    ? scope.provinces.map((p) => t(`taxonomy.province.${p}`)).join(t("common.list_separator"))
    : t("roles.national_scope");
  const recent = stats.byDay.reduce((s, c) => s + c.n, 0);
  const text = t("report.text", {
    scope: scopeName,
    date: formatJalaliDate(now, lang, d.timeZone),
    total: n(stats.total),
    reachable: n(stats.reachable),
    unreachable: n(stats.total - stats.reachable),
    days: n(DAYS),
    recent: n(recent),
    open: n(byStatus.open! + byStatus.partly_filled!),
    filled: n(byStatus.filled!),
    ended: n(byStatus.closed! + byStatus.expired!),
    review: n(byStatus.review!),
    places: n([...openPlaces.values()].reduce((s, v) => s + v, 0)),
    hours: n(hoursOf(centreMinutes)),
  });
  const province = scope.provinces?.length === 1 ? scope.provinces[0] : undefined;
  const areaLabel = (key: string) => (scope.provinces ? countyLabel(t, province, key) : t(`taxonomy.province.${key}`));
  const areas = scope.provinces ? stats.byCounty : stats.byProvince;
  const days = dayRows(stats.byDay, since, now, d.timeZone);
  // Each chart twice: wide for the chat and a laptop, narrow for a phone (the console picks by the screen).
  const chart = (title: string, subtitle: string, rows: { label: string; value: number }[]) => {
    const drawn = (layout: "wide" | "narrow") =>
      renderBarChart({ title, subtitle, rows, format: n, direction: lang === "fa" ? "rtl" : "ltr", layout });
    return { title, png: drawn("wide"), narrow: drawn("narrow") };
  };
  const charts = [
    {
      name: "registrations-by-day.png",
      ...chart(
        t("report.chart_days", { days: n(DAYS) }),
        scopeName,
        days.map((x) => ({ label: formatIsoDate(x.key, lang, d.timeZone), value: x.n })),
      ),
    },
    {
      name: "registrations-by-area.png",
      ...chart(
        t(scope.provinces ? "report.chart_counties" : "report.chart_provinces"),
        scopeName,
        areas.slice(0, 31).map((c) => ({ label: areaLabel(c.key), value: c.n })),
      ),
    },
    {
      name: "roles-supply.png",
      ...chart(
        t("report.chart_roles"),
        scopeName,
        stats.byRole.map((c) => ({
          label: t("report.role_label", { role: t(`taxonomy.role.${c.key}`), open: n(openPlaces.get(c.key) ?? 0) }),
          value: c.n,
        })),
      ),
    },
  ];
  const rows: unknown[][] = [
    ...days.map((c) => ["day", c.key, formatIsoDate(c.key, lang, d.timeZone), c.n]),
    ...stats.byProvince.map((c) => ["province", c.key, t(`taxonomy.province.${c.key}`), c.n]),
    ...stats.byCounty.map((c) => ["county", c.key, countyLabel(t, province, c.key), c.n]),
    ...stats.bySource.map((c) => ["source", c.key, centres.find((x) => x.code === c.key)?.name ?? c.key, c.n]),
    ...stats.byRole.map((c) => ["role", c.key, t(`taxonomy.role.${c.key}`), c.n]),
    ...[...openPlaces].map(([role, v]) => ["open_places", role, t(`taxonomy.role.${role}`), v]),
    ...stats.bySkill.map((c) => ["skill", c.key, t(`taxonomy.skill.${c.key}`), c.n]),
    ...NEED_STATUSES.map((s) => ["needs", s, t(`need.status.${s}`), byStatus[s]]),
    ["hours", "centres", t("report.hours_label"), hoursOf(centreMinutes)],
  ];
  const header = (["section", "key", "label", "count"] as const).map((h) => t(`export.report.${h}`));
  const named = rows.map(([section, ...rest]) => [t(`export.section.${String(section)}`), ...rest]);
  return { text, charts, csv: csvWithBom(header, named) };
}

/** One row per day of the window, zero where nobody registered. */
function dayRows(byDay: Count[], since: Date, now: Date, timeZone: string): Count[] {
  const counts = new Map(byDay.map((c) => [c.key, c.n]));
  const out: Count[] = [];
  for (let t = since.getTime() + 86_400_000; t <= now.getTime(); t += 86_400_000) {
    const key = isoDateIn(new Date(t), timeZone);
    if (!out.some((x) => x.key === key)) out.push({ key, n: counts.get(key) ?? 0 });
  }
  return out;
}

/** Rows per page when exporting volunteers. */
const PAGE = 1000;

/**
 * The volunteers' contact list within a headquarters' scope, for the people
 * allowed to see it (national admins; a provincial admin, their province):
 * name, mobile, place, skills, roles, code. The national ID is never exported.
 */
export async function volunteersCsv(
  d: { store: Store; i18n: I18n; timeZone: string },
  scope: { provinces: string[] | null },
  lang: Language,
  /** Narrower than the scope (the console's filters); never wider: the scope's provinces always apply. */
  filter: VolunteerFilter = {},
): Promise<{ csv: Buffer; rows: number; codes: string[] }> {
  const t = d.i18n.t(lang);
  const rows: unknown[][] = [];
  const codes: string[] = [];
  for (let after: PageKey | null = null; ;) {
    const page = await d.store.people.listRegistered(
      {
        ...filter,
        ...(scope.provinces
          ? { provinces: filter.provinces?.filter((p) => scope.provinces!.includes(p)) ?? scope.provinces }
          : {}),
      },
      after,
      PAGE,
    );
    const last = page.at(-1);
    after = last ? { registeredAt: last.registeredAt!, id: last.id } : null;
    for (const p of page) {
      if (p.volunteerCode) codes.push(p.volunteerCode);
      rows.push([
        p.volunteerCode ?? "",
        p.firstName ?? "",
        p.lastName ?? "",
        p.phone ?? "",
        p.province ? t(`taxonomy.province.${p.province}`) : "",
        p.county ? countyLabel(t, p.province ?? undefined, p.county) : "",
        p.neighbourhood ?? "",
        p.skills.map((s) => t(`taxonomy.skill.${s}`)).join(t("common.list_separator")),
        p.roles.map((r) => t(`taxonomy.role.${r}`)).join(t("common.list_separator")),
        p.registeredAt ? formatIsoDate(isoDateIn(p.registeredAt, d.timeZone), lang, d.timeZone) : "",
        p.identities.some((i) => i.reachable) ? "1" : "0",
      ]);
    }
    if (page.length < PAGE) break;
  }
  const header = (
    [
      "code",
      "first_name",
      "last_name",
      "mobile",
      "province",
      "county",
      "neighbourhood",
      "skills",
      "roles",
      "registered",
      "reachable",
    ] as const
  ).map((h) => t(`export.volunteers.${h}`));
  return { csv: csvWithBom(header, rows), rows: rows.length, codes };
}
