import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { byLabel } from "../../format.js";
import type { CoordinatorRole } from "../../store/port/index.js";
import { createInvite, inviteScopes, visibleInvites } from "../../services/invites.js";
import { actorLabel, scopeLabel } from "../../services/labels.js";
import { grantHandle, inviteHandle, revokeGrant, visibleGrants, withdrawInvite } from "../../services/roles.js";
import { rolesPage, type RolesView } from "../views/roles.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { headquarters } from "../visibility.js";

const ROLES: CoordinatorRole[] = ["national_admin", "provincial_admin", "centre_coordinator", "institution_operator"];

/** Roles and invitations within scope, through the services behind `/invite` and `/roles`. */
export function roleRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const show = async (req: FastifyRequest, reply: FastifyReply, extra: Pick<RolesView, "created" | "notice"> = {}) => {
    const actor = req.actor!;
    const t = req.page.t;
    const all = await inviteScopes(d.store, actor);
    if (all.roles.length === 0) return h.refuse(req, reply, 403, "not_allowed");
    const grants = (await visibleGrants(d.invites, actor)).slice(0, 200);
    const invites = (await visibleInvites(d.invites, actor)).slice(0, 100);
    const label = (list: { id: string; name: string }[]) =>
      byLabel(
        "fa",
        list.map((x): [string, string] => [x.id, x.name]),
        ([, l]) => l,
      );
    return h.send(
      reply,
      200,
      rolesPage(req.page, {
        grants: await Promise.all(
          grants.map(async (g) => ({
            handle: grantHandle(g),
            account: await actorLabel(t, "fa", d.store, `${g.platform}:${g.userId}`),
            role: g.role,
            scope: await scopeLabel(t, d.store, g.role, g.scope),
          })),
        ),
        invites: await Promise.all(
          invites.map(async (i) => ({
            handle: inviteHandle(i),
            role: i.role,
            scope: await scopeLabel(t, d.store, i.role, i.scope),
            by: await actorLabel(t, "fa", d.store, i.createdBy),
            expiresAt: i.expiresAt,
          })),
        ),
        roles: all.roles,
        scopes: {
          provincial_admin: byLabel(
            "fa",
            all.provinces.map((p): [string, string] => [p, t(`taxonomy.province.${p}`)]),
            ([, l]) => l,
          ),
          centre_coordinator: label(all.centres),
          institution_operator: label(all.institutions),
        },
        timeZone: d.timeZone,
        ...extra,
      }),
    );
  };
  const handleOf = (req: FastifyRequest) => {
    const v = (req.body as Record<string, unknown>).handle;
    return typeof v === "string" && /^[A-Za-z0-9_-]{12}$/.test(v) ? v : "";
  };

  app.get("/console/roles", (req, reply) => show(req, reply));

  app.post("/console/roles/invite", async (req, reply) => {
    const [role, scope] = String((req.body as Record<string, unknown>).target ?? "").split("|");
    if (!ROLES.includes(role as CoordinatorRole) || !scope) return h.refuse(req, reply, 400, "bad_query");
    // mayAssign inside createInvite decides (and audits): a scope outside one's own is refused there.
    const r = await createInvite(d.invites, req.actor!, role as CoordinatorRole, scope);
    if (!r.ok) return h.refuse(req, reply, 403, "outside_scope");
    const t = req.page.t;
    return show(req, reply, {
      created: {
        role: t(`roles.name.${role}`),
        scope: await scopeLabel(t, d.store, role as CoordinatorRole, scope),
        links: d.inviteLinks(r.value.payload),
      },
    });
  });

  app.post("/console/roles/revoke", async (req, reply) => {
    const r = await revokeGrant(
      { ...d.invites, refreshMenu: (ref) => d.menus.refresh(ref) },
      req.actor!,
      handleOf(req),
    );
    if (!r.ok) return h.refuse(req, reply, 403, "outside_scope");
    return show(req, reply, { notice: req.page.t("roles.revoked") });
  });

  app.post("/console/roles/withdraw", async (req, reply) => {
    const r = await withdrawInvite(d.invites, req.actor!, handleOf(req));
    if (!r.ok) return h.refuse(req, reply, 403, "outside_scope");
    return show(req, reply, { notice: req.page.t("roles.invite_withdrawn") });
  });
}

/** Its menu entry: 8th in the menu (`console.nav.roles`). */
export const page: ConsolePageDef = {
  key: "roles",
  order: 80,
  href: "/console/roles",
  visible: headquarters,
  routes: roleRoutes,
};
