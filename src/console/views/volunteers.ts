import { fullName } from "../../services/matching/notices.js";
import { formatJalaliDate } from "../../domain/jalali.js";
import { AVAILABILITY_PRESETS, countiesOf, PROVINCES, ROLES, SKILL_CATEGORIES } from "../../domain/taxonomy.js";
import { byLabel, countyLabel, mask, num, telHref } from "../../format.js";
import { normalizeDigits } from "../../domain/normalize.js";
import type { TypedCounty } from "../../services/places.js";
import type { Person } from "../../store/port/index.js";
import type { VolunteerQuery } from "../../services/volunteers.js";
import { html, type Html } from "../html.js";
import { csrfField, layout, type PageContext } from "./layout.js";

const DAYS = ["7", "30", "90", "365"] as const;

export interface VolunteersView {
  query: VolunteerQuery;
  /** The provinces the coordinator may choose from (their scope). */
  provinces: string[];
  people: Person[];
  next: string | null;
  /** The person whose phone was just revealed (audited). */
  revealed?: string;
  timeZone: string;
}

/** The query as a URL's search part, without `after` (a filter change starts again from the first page). */
export function queryString(q: VolunteerQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v && (k !== "after" || extra.after)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function volunteersPage(c: PageContext, v: VolunteersView): Html {
  const { t } = c;
  const q = v.query;
  const select = (name: keyof VolunteerQuery, label: string, options: [string, string][]) =>
    html`<label
      >${label}
      <select name="${name}">
        <option value="">${t("console.filter.any")}</option>
        ${options.map(([value, text]) => html`<option value="${value}" ${q[name] === value ? html`selected` : ""}>${text}</option>`)}
      </select></label
    >`;
  const provinces = byLabel("fa", v.provinces, (p) => t(`taxonomy.province.${p}`));
  const countyProvinces = q.province ? [q.province] : v.provinces.length <= 4 ? v.provinces : [];
  const counties = countyProvinces.flatMap((p) =>
    countiesOf(p).map((c): [string, string] => [c, countyLabel(t, p, c)]),
  );
  const skills = SKILL_CATEGORIES.flatMap((cat) =>
    cat.skills.map((s): [string, string] => [s, t(`taxonomy.skill.${s}`)]),
  );
  const filters = html`<form method="get" action="/console/volunteers" class="filters">
    ${
      provinces.length > 1
        ? select(
            "province",
            t("console.filter.province"),
            provinces.map((p) => [p, t(`taxonomy.province.${p}`)]),
          )
        : ""
    }
    ${
      counties.length
        ? select(
            "county",
            t("console.filter.county"),
            byLabel("fa", counties, ([, l]) => l),
          )
        : ""
    }
    ${select(
      "skill",
      t("console.filter.skill"),
      byLabel("fa", skills, ([, l]) => l),
    )}
    ${select(
      "role",
      t("console.filter.role"),
      byLabel(
        "fa",
        ROLES.map((r): [string, string] => [r.id, t(`taxonomy.role.${r.id}`)]),
        ([, l]) => l,
      ),
    )}
    ${select(
      "free",
      t("console.filter.free"),
      Object.keys(AVAILABILITY_PRESETS).map((p): [string, string] => [p, t(`registration.preset.${p}`)]),
    )}
    ${select(
      "days",
      t("console.filter.days"),
      DAYS.map((d): [string, string] => [d, t(`console.days.${d}`)]),
    )}
    <label
      >${t("console.filter.source")} <input name="source" value="${q.source ?? ""}" maxlength="60" dir="ltr"
    /></label>
    <label
      >${t("console.filter.text")} <input name="text" type="search" value="${q.text ?? ""}" maxlength="60"
    /></label>
    <label class="check"
      ><input type="checkbox" name="veteran" value="1" ${q.veteran === "1" ? html`checked` : ""} />
      ${t("console.filter.veteran")}</label
    >
    <button type="submit">${t("console.filter.apply")}</button>
    <a href="/console/volunteers">${t("console.filter.clear")}</a>
  </form>`;
  const row = (p: Person) => {
    const shown = v.revealed === p.id;
    return html`<tr>
      <td dir="ltr">${p.volunteerCode ?? "—"}</td>
      <td>${fullName(p)}</td>
      <td>
        ${p.province ? t(`taxonomy.province.${p.province}`) : "—"}${p.county ? html`، ${countyLabel(t, p.province ?? undefined, p.county)}` : ""}${
          p.neighbourhood ? html`، ${p.neighbourhood}` : ""
        }
      </td>
      <td>${p.skills.map((s) => t(`taxonomy.skill.${s}`)).join(t("common.list_separator"))}</td>
      <td>${p.roles.map((r) => t(`taxonomy.role.${r}`)).join(t("common.list_separator"))}</td>
      <td>
        ${
          p.phone
            ? shown
              ? html`<a dir="ltr" class="revealed" href="${telHref(p.phone) ?? "#"}">${normalizeDigits(p.phone)}</a>`
              : html`<form method="post" action="/console/volunteers/reveal${queryString(q)}" class="inline">
                  <span dir="ltr">${mask(normalizeDigits(p.phone))}</span>
                  ${csrfField(c)}
                  <input type="hidden" name="person" value="${p.id}" />
                  <button type="submit">${t("console.reveal")}</button>
                </form>`
            : "—"
        }
      </td>
      <td>${p.registeredAt ? formatJalaliDate(p.registeredAt, "fa", v.timeZone) : "—"}</td>
      <td>${p.identities.some((i) => i.reachable) ? t("console.yes") : t("console.no")}</td>
    </tr>`;
  };
  const table = v.people.length
    ? html`<p class="meta">
          ${t("console.rows", { n: num("fa", v.people.length) })} ·
          <a href="/console/volunteers.csv${queryString(q)}">${t("console.export")}</a>
        </p>
        ${v.revealed ? html`<p class="notice">${t("console.revealed_note")}</p>` : ""}
        <div class="table">
          <table>
            <thead>
              <tr>
                ${["code", "name", "place", "skills", "roles", "phone", "registered", "reachable"].map(
                  (col) => html`<th>${t(`console.col.${col}`)}</th>`,
                )}
              </tr>
            </thead>
            <tbody>
              ${v.people.map(row)}
            </tbody>
          </table>
        </div>
        <p class="pages">
          ${q.after ? html`<a href="/console/volunteers${queryString(q)}">${t("console.first_page")}</a>` : ""}
          ${v.next ? html`<a href="/console/volunteers${queryString(q, { after: v.next })}" rel="next">${t("console.next_page")}</a>` : ""}
        </p>`
    : html`<p class="notice">${t("console.none")}</p>`;
  const typedLink = html`<p><a href="/console/volunteers/counties">${t("console.typed_counties.link")}</a></p>`;
  return layout({ ...c, current: "volunteers" }, t("console.volunteers_title"), html`${filters}${table}${typedLink}`);
}

/** Volunteers in scope whose county is typed text, not one of the list's: for a coordinator to resolve. */
export function typedCountiesPage(c: PageContext, typedCounties: TypedCounty[]): Html {
  const { t } = c;
  const body = typedCounties.length
    ? html`<section>
        <h2>${t("console.typed_counties.title", { n: num("fa", typedCounties.length) })}</h2>
        <p>${t("console.typed_counties.hint")}</p>
        <div class="table">
          <table>
            <thead>
              <tr>
                ${["code", "province", "typed", "match"].map((col) => html`<th>${t(`console.typed_counties.${col}`)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${typedCounties.slice(0, 100).map(
                (x) =>
                  html`<tr>
                    <td><code dir="ltr">${x.volunteerCode ?? "—"}</code></td>
                    <td>${t(`taxonomy.province.${x.province}`)}</td>
                    <td>${x.typed}</td>
                    <td>${x.county ? countyLabel(t, x.province, x.county) : t("console.typed_counties.none")}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>`
    : "";
  return layout(
    { ...c, current: "volunteers" },
    t("console.typed_counties.page_title"),
    html`${body || html`<p class="notice">${t("console.typed_counties.empty")}</p>`}`,
  );
}

export const provinceIds = () => PROVINCES.map((p) => p.id as string);
