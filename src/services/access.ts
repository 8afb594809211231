import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Platform } from "../platforms/capabilities.js";
import type { AuditRecord, Centre, CoordinatorRole, Grant, IdentityRef, Store } from "../store/port/index.js";

/**
 * Who may do what. Roles come from grants in the store (and ADMIN_IDS for
 * national admins); every check runs on the server for every command and
 * callback, never trusting what a button carries.
 */
export interface Actor extends IdentityRef {
  /** `platform:userId`, as written in the audit log. */
  id: string;
  grants: Grant[];
}

export async function actorFor(
  store: Store,
  config: Pick<Config, "adminIds">,
  ref: { platform: Platform; userId: string },
): Promise<Actor> {
  const grants = await store.access.grantsOf(ref);
  if (config.adminIds.some((a) => a.platform === ref.platform && a.userId === ref.userId))
    grants.unshift({ ...ref, role: "national_admin", scope: "*", grantedBy: "ADMIN_IDS", grantedAt: new Date(0) });
  return { ...ref, id: `${ref.platform}:${ref.userId}`, grants };
}

/** Who an account is: its grants in the store, and national admin where ADMIN_IDS names it. */
export interface Actors {
  of(ref: { platform: Platform; userId: string }): Promise<Actor>;
  /** ADMIN_IDS: the national admins the configuration names. */
  readonly admins: readonly IdentityRef[];
}

/** The one way the chat, the console and the services find an actor (ADMIN_IDS bound once). */
export const actorsOf = (store: Store, adminIds: Config["adminIds"]): Actors => ({
  of: (ref) => actorFor(store, { adminIds }, ref),
  admins: adminIds,
});

const holds = (a: Actor, role: CoordinatorRole, scope?: string) =>
  a.grants.some((g) => g.role === role && (scope === undefined || g.scope === scope));

export const isNational = (a: Actor) => holds(a, "national_admin");

/**
 * Where an actor acts as headquarters (reports, broadcasts, indicators): the
 * whole country (`provinces: null`) for national admins, their provinces for
 * provincial admins; `undefined` for everyone else.
 */
export function headquartersScopeOf(a: Actor): { provinces: string[] | null } | undefined {
  if (isNational(a)) return { provinces: null };
  const provinces = a.grants.filter((g) => g.role === "provincial_admin").map((g) => g.scope);
  return provinces.length ? { provinces } : undefined;
}
export const isCoordinator = (a: Actor) => a.grants.length > 0;

/** National admins, the centre's province admins and its own coordinators act for a centre. */
export const canActForCentre = (a: Actor, centre: Pick<Centre, "code" | "province">) =>
  isNational(a) || holds(a, "provincial_admin", centre.province) || holds(a, "centre_coordinator", centre.code);

/** Only an institution's own operators decide its introductions: the law routes them through it. */
export const canActForInstitution = (a: Actor, institutionCode: string) =>
  holds(a, "institution_operator", institutionCode);

/** The centres an actor may post needs for and manage. */
export async function centresOf(store: Store, a: Actor): Promise<Centre[]> {
  if (isNational(a)) return store.centres.listCentres();
  const provinces = a.grants.filter((g) => g.role === "provincial_admin").map((g) => g.scope);
  const codes = a.grants.filter((g) => g.role === "centre_coordinator").map((g) => g.scope);
  const byProvince = (await Promise.all(provinces.map((p) => store.centres.listCentres({ province: p })))).flat();
  const own = codes.length ? await store.centres.listCentres({ codes }) : [];
  const all = new Map([...byProvince, ...own].map((c) => [c.code, c]));
  return [...all.values()].sort((x, y) => x.code.localeCompare(y.code));
}

export const institutionsOf = (a: Actor) =>
  a.grants.filter((g) => g.role === "institution_operator").map((g) => g.scope);

/** People who hold a role in a scope: whom to tell about a request or an acceptance. */
export async function holders(store: Store, role: CoordinatorRole, scope: string): Promise<IdentityRef[]> {
  return (await store.access.list({ role, scope })).map((g) => ({ platform: g.platform, userId: g.userId }));
}

/**
 * Records a coordinator action in the audit log (and the structured log).
 * Details must be anonymous: ids and counts, never names or numbers.
 */
/**
 * A coordinator action's permission check: when `allowed` is false the
 * refusal is audited (as every coordinator action is) and this answers
 * false, for the caller to refuse.
 */
export async function authorize(
  store: Store,
  logger: Logger,
  allowed: boolean,
  attempt: { actor: string; action: string; scope: string; target: string | null },
): Promise<boolean> {
  if (!allowed) await audit(store, logger, { ...attempt, outcome: "refused" });
  return allowed;
}

export async function audit(
  store: Store,
  logger: Logger,
  record: Omit<AuditRecord, "at" | "details" | "count" | "lastAt"> & { details?: AuditRecord["details"] },
): Promise<void> {
  const full = { ...record, details: record.details ?? null };
  logger.info({ audit: full }, "audit");
  await store.access.audit(full);
}

/**
 * Whether the actor's own person (any of their linked accounts) is `personId`:
 * nobody approves, corrects or checks in by hand their own hours.
 */
export async function isOwnPerson(store: Store, actor: Actor, personId: string): Promise<boolean> {
  if (actor.id.startsWith("cli:")) return false;
  const self = await store.people.findByIdentity({ platform: actor.platform, userId: actor.userId });
  return self?.id === personId;
}
