import { formatJalaliDate } from "../../domain/jalali.js";
import type { CoordinatorRole } from "../../store/port/index.js";
import { html, type Html } from "../html.js";
import { csrfField, layout, statusNotice, type PageContext } from "./layout.js";

export interface RolesView {
  grants: { handle: string; account: string; role: CoordinatorRole; scope: string }[];
  invites: { handle: string; role: CoordinatorRole; scope: string; by: string; expiresAt: Date }[];
  roles: CoordinatorRole[];
  /** Each role's scopes the actor may invite to: [id, label]. */
  scopes: Record<Exclude<CoordinatorRole, "national_admin">, [string, string][]>;
  /** The links of an invitation just made, one per platform. */
  created?: { role: string; scope: string; links: { platform: string; url: string }[] };
  notice?: string;
  timeZone: string;
}

/** Roles and invitations within the actor's scope: make an invitation, list and withdraw open ones, revoke roles. */
export function rolesPage(c: PageContext, v: RolesView): Html {
  const { t } = c;
  const options = v.roles.flatMap((role) =>
    role === "national_admin"
      ? [
          html`<option value="national_admin|*">
            ${t("roles.name.national_admin")} — ${t("roles.national_scope")}
          </option>`,
        ]
      : v.scopes[role].map(
          ([id, label]) => html`<option value="${role}|${id}">${t(`roles.name.${role}`)} — ${label}</option>`,
        ),
  );
  const make = html`<form method="post" action="/console/roles/invite" class="filters">
    ${csrfField(c)}
    <label
      >${t("console.roles.role_scope")}
      <select name="target" required>
        ${options}
      </select></label
    >
    <button type="submit">${t("console.roles.make")}</button>
  </form>`;
  const created = v.created
    ? html`<div class="notice" role="status">
        <p>${t("console.roles.created", { role: v.created.role, scope: v.created.scope })}</p>
        <ul>
          ${v.created.links.map(
            (l) => html`<li>${t(`platform_name.${l.platform}`)}: <code dir="ltr">${l.url}</code></li>`,
          )}
        </ul>
      </div>`
    : "";
  const button = (action: string, handle: string, label: string) =>
    html`<form method="post" action="${action}" class="inline">
      ${csrfField(c)}<input type="hidden" name="handle" value="${handle}" /><button type="submit" class="secondary">
        ${label}
      </button>
    </form>`;
  const invites = v.invites.length
    ? html`<div class="table">
        <table>
          <tbody>
            ${v.invites.map(
              (i) =>
                html`<tr>
                  <td>${t(`roles.name.${i.role}`)} — ${i.scope}</td>
                  <td>${i.by}</td>
                  <td>${t("console.roles.expires", { date: formatJalaliDate(i.expiresAt, "fa", v.timeZone) })}</td>
                  <td>${button("/console/roles/withdraw", i.handle, t("console.roles.withdraw"))}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    : html`<p class="notice">${t("console.roles.no_invites")}</p>`;
  const grants = v.grants.length
    ? html`<div class="table">
        <table>
          <tbody>
            ${v.grants.map(
              (g) =>
                html`<tr>
                  <td>${g.account}</td>
                  <td>${t(`roles.name.${g.role}`)} — ${g.scope}</td>
                  <td>${button("/console/roles/revoke", g.handle, t("console.roles.revoke"))}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    : html`<p class="notice">${t("roles.list_empty")}</p>`;
  return layout(
    { ...c, current: "roles" },
    t("console.nav.roles"),
    html`${statusNotice(v.notice)}${created}${make}
      <h2>${t("console.roles.invites")}</h2>
      ${invites}
      <h2>${t("console.roles.grants")}</h2>
      ${grants}`,
  );
}
