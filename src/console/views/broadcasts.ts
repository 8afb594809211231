import { formatJalaliDateTime } from "../../domain/jalali.js";
import { countiesOf, ROLES, SKILL_CATEGORIES } from "../../domain/taxonomy.js";
import { byLabel, countyLabel } from "../../format.js";
import type { Language } from "../../domain/person.js";
import type { Platform } from "../../platforms/capabilities.js";
import type { Broadcast, DeliveryProgress } from "../../store/port/index.js";
import { html, type Html } from "../html.js";
import { csrfField, layout, statusNotice, type PageContext } from "./layout.js";

export interface ComposerForm {
  text: string;
  provinces: string[];
  skills: string[];
  roles: string[];
  /** `province.county`. */
  counties: string[];
  source: string;
  languages: Language[];
  platforms: Platform[];
  veteran: boolean;
  when: string;
  urgent: boolean;
}

export const EMPTY_FORM: ComposerForm = {
  text: "",
  provinces: [],
  skills: [],
  roles: [],
  counties: [],
  source: "",
  languages: [],
  platforms: [],
  veteran: false,
  when: "",
  urgent: false,
};

export interface BroadcastsView {
  form: ComposerForm;
  /** The provinces the admin may choose from. */
  provinces: string[];
  /** The platforms with a running bot. */
  platforms: Platform[];
  /** The audience of the form's segment (after «count» or a live update). */
  count: number | null;
  /** The text as each platform will show it. */
  previews: { platform: string; text: string }[];
  list: { broadcast: Broadcast; progress: DeliveryProgress; mine: boolean; responses: number | null }[];
  /** Now, by the app's clock: a broadcast whose time has not come is listed as scheduled. */
  now: Date;
  notice?: string;
  timeZone: string;
}

const checks = (name: string, chosen: readonly string[], options: [string, string][]): Html =>
  html`<div class="checks">
    ${options.map(
      ([value, label]) =>
        html`<label class="check"
          ><input type="checkbox" name="${name}" value="${value}" ${chosen.includes(value) ? html`checked` : ""} />
          ${label}</label
        >`,
    )}
  </div>`;

/** The composer (segment, live count, per-platform preview, now or a Jalali time) and the list with its controls. */
export function broadcastsPage(c: PageContext, v: BroadcastsView): Html {
  const { t } = c;
  const f = v.form;
  // Counties once a few provinces are chosen (or the admin's scope is one province).
  const countyProvinces = f.provinces.length ? f.provinces : v.provinces.length === 1 ? v.provinces : [];
  const countyChoices =
    countyProvinces.length > 0 && countyProvinces.length <= 3
      ? countyProvinces.flatMap((p) => countiesOf(p).map((c): [string, string] => [`${p}.${c}`, countyLabel(t, p, c)]))
      : [];
  const skills = SKILL_CATEGORIES.flatMap((cat) =>
    cat.skills.map((s): [string, string] => [s, t(`taxonomy.skill.${s}`)]),
  );
  const composer = html`<form method="post" action="/console/broadcasts" class="composer" id="composer">
    ${csrfField(c)}
    <label
      >${t("console.broadcasts.text")} <textarea name="text" rows="5" maxlength="4096" required>${f.text}</textarea>
    </label>
    <fieldset>
      <legend>${t("console.filter.province")}</legend>
      ${checks(
        "province",
        f.provinces,
        byLabel("fa", v.provinces, (p) => t(`taxonomy.province.${p}`)).map((p) => [p, t(`taxonomy.province.${p}`)]),
      )}
    </fieldset>
    <fieldset>
      <legend>${t("console.filter.skill")}</legend>
      ${checks(
        "skill",
        f.skills,
        byLabel("fa", skills, ([, l]) => l),
      )}
    </fieldset>
    <fieldset>
      <legend>${t("console.filter.role")}</legend>
      ${checks(
        "role",
        f.roles,
        byLabel(
          "fa",
          ROLES.map((r): [string, string] => [r.id, t(`taxonomy.role.${r.id}`)]),
          ([, l]) => l,
        ),
      )}
    </fieldset>
    ${
      countyChoices.length
        ? html`<fieldset>
            <legend>${t("console.filter.county")}</legend>
            ${checks("county", f.counties, countyChoices)}
          </fieldset>`
        : ""
    }
    <fieldset>
      <legend>${t("console.broadcasts.more")}</legend>
      ${checks(
        "platform",
        f.platforms,
        v.platforms.map((p): [string, string] => [p, t(`platform_name.${p}`)]),
      )}
      ${checks("language", f.languages, [
        ["fa", t("console.broadcasts.language.fa")],
        ["en", t("console.broadcasts.language.en")],
      ])}
      <label>${t("console.filter.source")} <input name="source" value="${f.source}" maxlength="60" dir="ltr" /></label>
    </fieldset>
    <label class="check"
      ><input type="checkbox" name="veteran" value="1" ${f.veteran ? html`checked` : ""} />
      ${t("console.filter.veteran")}</label
    >
    <p class="count" id="count" aria-live="polite">
      ${v.count === null ? t("console.broadcasts.count_hint") : t("console.broadcasts.count", { n: v.count.toLocaleString("fa") })}
    </p>
    ${
      v.previews.length
        ? html`<div class="previews">
            ${v.previews.map(
              (p) =>
                html`<figure>
                  <figcaption>${t(`platform_name.${p.platform}`)}</figcaption>
                  <p class="bubble">${p.text}</p>
                </figure>`,
            )}
          </div>`
        : ""
    }
    <label
      >${t("console.broadcasts.when")}
      <input name="when" value="${f.when}" placeholder="1405/09/20 08:30" maxlength="30" dir="ltr" />
    </label>
    <label class="check"
      ><input type="checkbox" name="urgent" value="1" ${f.urgent ? html`checked` : ""} />
      ${t("console.broadcasts.urgent")}</label
    >
    <div class="buttons">
      <button type="submit" name="step" value="preview" class="secondary-plain">
        ${t("console.broadcasts.preview")}
      </button>
      <button type="submit" name="step" value="send">${t("console.broadcasts.send")}</button>
    </div>
  </form>`;
  const status = (b: Broadcast) =>
    b.status === "running" && b.notBefore > v.now
      ? t("console.broadcasts.scheduled_for", { time: formatJalaliDateTime(b.notBefore, "fa", v.timeZone) })
      : t(`console.broadcasts.status.${b.status}`);
  const list = v.list.length
    ? html`<div class="table">
        <table>
          <thead>
            <tr>
              ${(["created", "text", "status", "sent", "pending", "failed", "responses", "control"] as const).map((h) => html`<th>${t(`console.broadcasts.col.${h}`)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${v.list.map(
              ({ broadcast: b, progress: p, mine, responses }) =>
                html`<tr>
                  <td>${formatJalaliDateTime(b.createdAt, "fa", v.timeZone)}</td>
                  <td>${b.text.length > 80 ? `${b.text.slice(0, 80)}…` : b.text}</td>
                  <td>${status(b)}</td>
                  <td>${p.sent.toLocaleString("fa")}</td>
                  <td>${p.pending.toLocaleString("fa")}</td>
                  <td>${(p.failed + p.unreachable).toLocaleString("fa")}</td>
                  <td>${responses === null ? "—" : responses.toLocaleString("fa")}</td>
                  <td>
                    ${
                      mine && (b.status === "running" || b.status === "paused")
                        ? html`<form method="post" action="/console/broadcasts/control" class="inline">
                            ${csrfField(c)}
                            <input type="hidden" name="id" value="${b.id}" />
                            ${
                              b.status === "running"
                                ? html`<button type="submit" name="action" value="pause">
                                    ${t("console.broadcasts.pause")}
                                  </button>`
                                : html`<button type="submit" name="action" value="resume">
                                    ${t("console.broadcasts.resume")}
                                  </button>`
                            }
                            <button type="submit" name="action" value="cancel" class="secondary">
                              ${t("console.broadcasts.cancel")}
                            </button>
                          </form>`
                        : ""
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    : html`<p class="notice">${t("console.broadcasts.none")}</p>`;
  return layout(
    { ...c, current: "broadcasts" },
    t("console.nav.broadcasts"),
    html`${statusNotice(v.notice)}${composer}
      <h2>${t("console.broadcasts.list")}</h2>
      ${list}
      <script src="/console/static/console.js" defer></script>`,
  );
}
