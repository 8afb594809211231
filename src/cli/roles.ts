import type { Config } from "../config.js";
import { isProvince } from "../domain/taxonomy.js";
import { PLATFORMS, type Platform } from "../platforms/capabilities.js";
import { COORDINATOR_ROLES, type CoordinatorRole } from "../store/port/index.js";
import { parseArgs } from "./args.js";
import { cliActor } from "./reference.js";
import { actorsOf } from "../services/access.js";
import { pruneInvitesOf } from "../services/invites.js";
import { withRuntime, type CliIO } from "./runtime.js";

const USAGE = `Usage:
  hamdel grant-role <platform:userId> <role> <scope>
  hamdel revoke-role <platform:userId> <role> <scope>
  hamdel list-roles [--role <role>] [--scope <scope>]
roles: ${COORDINATOR_ROLES.join(", ")}; scope: * for national_admin, a province id, a centre or institution code`;

function parseAccount(s: string | undefined): { platform: Platform; userId: string } | undefined {
  const m = /^([a-z]+):(\d{1,20})$/.exec(s ?? "");
  return m && (PLATFORMS as readonly string[]).includes(m[1]!)
    ? { platform: m[1] as Platform, userId: m[2]! }
    : undefined;
}

const isRole = (s: string | undefined): s is CoordinatorRole =>
  (COORDINATOR_ROLES as readonly string[]).includes(s ?? "");

/** `grant-role`, `revoke-role`, `list-roles`: coordinator roles from the command line, audited. */
export async function rolesCommand(
  action: "grant" | "revoke" | "list",
  argv: string[],
  io: CliIO = console,
  config?: Config,
): Promise<number> {
  const args = parseArgs(argv);
  if (action === "list") {
    const role = args.flags.get("role")?.[0];
    const scope = args.flags.get("scope")?.[0];
    if (role !== undefined && !isRole(role)) return (io.error(USAGE), 2);
    return withRuntime(
      io,
      async ({ store }) => {
        const grants = await store.access.list({ role: role as CoordinatorRole | undefined, scope });
        for (const g of grants)
          io.log(`${g.platform}:${g.userId}\t${g.role}\t${g.scope}\t${g.grantedBy}\t${g.grantedAt.toISOString()}`);
        io.log(`${grants.length} grants`);
        return 0;
      },
      config,
    );
  }
  const [account, role, scope] = args.rest;
  const ref = parseAccount(account);
  if (!ref || !isRole(role) || !scope || (role === "national_admin") !== (scope === "*")) return (io.error(USAGE), 2);
  return withRuntime(
    io,
    async ({ store, config: rtConfig, menus }) => {
      const valid =
        role === "national_admin" ||
        (role === "provincial_admin" && isProvince(scope)) ||
        (role === "centre_coordinator" && !!(await store.centres.getCentre(scope))) ||
        (role === "institution_operator" && !!(await store.centres.getInstitution(scope)));
      if (!valid) {
        io.error(`Unknown scope "${scope}" for ${role}.`);
        return 1;
      }
      const changed =
        action === "grant"
          ? await store.access.grant({ ...ref, role, scope, grantedBy: cliActor() })
          : await store.access.revoke(ref, role, scope);
      // Invitations the account can no longer hand out go with the role.
      const withdrawn =
        action === "revoke"
          ? await pruneInvitesOf({ store, actors: actorsOf(store, rtConfig.adminIds), now: () => new Date() }, ref)
          : 0;
      await store.access.audit({
        actor: cliActor(),
        action: `role.${action}`,
        scope,
        target: `${ref.platform}:${ref.userId}`,
        outcome: "ok",
        details: { role, changed, ...(withdrawn ? { invitesWithdrawn: withdrawn } : {}) },
      });
      // Their command menu follows their roles (where this machine can reach the platform; a bot's start also does).
      if (changed) await menus().refresh(ref);
      io.log(
        changed
          ? `${action === "grant" ? "granted" : "revoked"} ${role} ${scope} ${account}`
          : `nothing to change: ${account} ${action === "grant" ? "already holds" : "does not hold"} ${role} ${scope}`,
      );
      return 0;
    },
    config,
  );
}
