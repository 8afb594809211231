import { timingSafeEqual } from "node:crypto";
import { INVITE_DIGITS_TRIES, inviteDigits, invitePayload, newInviteId, verifyInvite } from "../domain/invite.js";
import { fail, ok, type Result } from "../domain/result.js";
import { isProvince, PROVINCES } from "../domain/taxonomy.js";
import type { Logger } from "../logger.js";
import type { CoordinatorRole, IdentityRef, Invite, Store } from "../store/port/index.js";
import { parseAccount } from "../domain/platform.js";
import { audit, isNational, type Actor, type Actors } from "./access.js";

/** How long an invitation link stays valid. */
export const INVITE_TTL_MS = 72 * 3_600_000;

export interface InviteDeps {
  store: Store;
  logger: Logger;
  /** Who is asking (ADMIN_IDS included: national admins whose right to invite comes from the configuration). */
  actors: Actors;
  /** The deployment's keyed MAC. */
  sign: (id: string) => string;
  /** The app's clock. */
  now: () => Date;
}

const provincesOf = (a: Actor) => a.grants.filter((g) => g.role === "provincial_admin").map((g) => g.scope);

/** The roles an actor may hand out: national admins any; provincial admins centre and institution roles. */
export function invitableRoles(a: Actor): CoordinatorRole[] {
  if (isNational(a)) return ["national_admin", "provincial_admin", "centre_coordinator", "institution_operator"];
  return provincesOf(a).length ? ["centre_coordinator", "institution_operator"] : [];
}

/** The province a scope belongs to (`*` for national), or `null` when the scope does not exist. */
async function provinceOfScope(store: Store, role: CoordinatorRole, scope: string): Promise<string | null> {
  switch (role) {
    case "national_admin":
      return scope === "*" ? "*" : null;
    case "provincial_admin":
      return isProvince(scope) ? scope : null;
    case "centre_coordinator":
      return (await store.centres.getCentre(scope))?.province ?? null;
    case "institution_operator":
      return (await store.centres.getInstitution(scope))?.province ?? null;
  }
}

/** May this actor grant (or revoke) this role in this scope? National: anything; provincial: inside the province. */
export async function mayAssign(store: Store, a: Actor, role: CoordinatorRole, scope: string): Promise<boolean> {
  const province = await provinceOfScope(store, role, scope);
  if (province === null || !invitableRoles(a).includes(role)) return false;
  return isNational(a) || provincesOf(a).includes(province);
}

export async function createInvite(
  d: InviteDeps,
  a: Actor,
  role: CoordinatorRole,
  scope: string,
): Promise<Result<{ payload: string; digits: string; expiresAt: Date }, "forbidden">> {
  const allowed = await mayAssign(d.store, a, role, scope);
  await audit(d.store, d.logger, {
    actor: a.id,
    action: "invite.create",
    scope,
    target: null,
    outcome: allowed ? "ok" : "refused",
    details: { role },
  });
  if (!allowed) return fail("forbidden");
  const id = newInviteId();
  const expiresAt = new Date(d.now().getTime() + INVITE_TTL_MS);
  await d.store.access.createInvite({ id, role, scope, createdBy: a.id, expiresAt });
  return ok({ payload: invitePayload(id, d.sign), digits: inviteDigits(id, d.sign), expiresAt });
}

/** Why an invitation gave nothing: a forged link, no such invitation, used, expired, or its maker lost the right. */
export type RedeemRefusal = "forged" | "unknown" | "used" | "expired" | "withdrawn";

/** The account an invitation's maker was (`platform:userId`), or `null` (an erased maker's pseudonym). */
function accountOf(createdBy: string): IdentityRef | null {
  return parseAccount(createdBy);
}

/** What checking an invitation's maker needs. */
type Checks = Pick<InviteDeps, "store" | "actors" | "now">;

/** Whether the maker of an invitation may still hand out its role in its scope, with the grants they hold now. */
async function makerMayStill(d: Checks, createdBy: string, role: CoordinatorRole, scope: string) {
  const maker = accountOf(createdBy);
  return !!maker && mayAssign(d.store, await d.actors.of(maker), role, scope);
}

/** Someone opened an invitation link: a valid, unused, unexpired one gives them the role. */
export async function redeemInvite(
  d: InviteDeps,
  payload: string,
  ref: IdentityRef,
): Promise<Result<{ role: CoordinatorRole; scope: string }, RedeemRefusal>> {
  const actor = `${ref.platform}:${ref.userId}`;
  const id = verifyInvite(payload, d.sign);
  const refused = async (type: RedeemRefusal, scope = "*") => {
    await audit(d.store, d.logger, {
      actor,
      action: "invite.redeem",
      scope,
      target: id ?? null,
      outcome: "refused",
      details: { reason: type },
    });
    return fail(type);
  };
  if (!id) return refused("forged");
  const outcome = await d.store.access.redeemInvite(id, actor, d.now());
  if (outcome.type !== "redeemed")
    return refused(outcome.type, outcome.type === "unknown" ? "*" : outcome.invite.scope);
  const { role, scope, createdBy } = outcome.invite;
  // The right to give this role is the maker's, checked again now: a maker who lost it since gives nothing.
  if (!(await makerMayStill(d, createdBy, role, scope))) return refused("withdrawn", scope);
  await d.store.access.grant({ ...ref, role, scope, grantedBy: createdBy });
  await audit(d.store, d.logger, {
    actor,
    action: "invite.redeem",
    scope,
    target: id,
    outcome: "ok",
    details: { role, by: createdBy },
  });
  return ok({ role, scope });
}

/**
 * Twelve digits typed instead of the link: the open invitation they name, redeemed as by its link. A few tries a day
 * per account (claimed in the store, before anything is compared); a code that names nothing is refused as unknown.
 */
export async function redeemInviteDigits(
  d: InviteDeps,
  digits: string,
  ref: IdentityRef,
): Promise<Result<{ role: CoordinatorRole; scope: string }, RedeemRefusal | "too_many">> {
  const now = d.now();
  const day = now.toISOString().slice(0, 10);
  const until = new Date(now.getTime() + 36 * 3_600_000);
  const refused = async <E extends "too_many" | "unknown">(error: E, reason: string) => {
    await audit(d.store, d.logger, {
      actor: `${ref.platform}:${ref.userId}`,
      action: "invite.redeem",
      scope: "*",
      target: null,
      outcome: "refused",
      details: { reason },
    });
    return fail(error);
  };
  let tried = false;
  for (let i = 0; i < INVITE_DIGITS_TRIES && !tried; i++)
    tried = await d.store.access.claimOnce(`invite-digits:${ref.platform}:${ref.userId}:${day}:${i}`, until, now);
  if (!tried) return refused("too_many", "too_many");
  const given = Buffer.from(digits);
  const invite = (await d.store.access.openInvites(now)).find((i) => {
    const expected = Buffer.from(inviteDigits(i.id, d.sign));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return invite ? redeemInvite(d, invitePayload(invite.id, d.sign), ref) : refused("unknown", "unknown_digits");
}

/**
 * After a role is revoked: the account's open invitations that its remaining
 * grants no longer allow are deleted (redemption would refuse them anyway).
 * Returns how many went.
 */
export async function pruneInvitesOf(d: Checks, account: IdentityRef): Promise<number> {
  const id = `${account.platform}:${account.userId}`;
  let pruned = 0;
  for (const invite of await d.store.access.openInvites(d.now())) {
    if (invite.createdBy !== id || (await makerMayStill(d, id, invite.role, invite.scope))) continue;
    if (await d.store.access.deleteInvite(invite.id)) pruned++;
  }
  return pruned;
}

/** The open invitations an actor may see and withdraw: those for roles and scopes they could hand out. */
export async function visibleInvites(d: Checks, actor: Actor): Promise<Invite[]> {
  const open = await d.store.access.openInvites(d.now());
  const mine: Invite[] = [];
  for (const invite of open) if (await mayAssign(d.store, actor, invite.role, invite.scope)) mine.push(invite);
  return mine;
}

/** What an actor may invite to: the roles, and the provinces, centres and institutions of their scope. */
export async function inviteScopes(store: Store, actor: Actor) {
  const provinces = isNational(actor)
    ? PROVINCES.map((p) => p.id as string)
    : actor.grants.filter((g) => g.role === "provincial_admin").map((g) => g.scope);
  const centres = (await Promise.all(provinces.map((p) => store.centres.listCentres({ province: p })))).flat();
  const institutions = (
    await Promise.all(provinces.map((p) => store.centres.listInstitutions({ province: p })))
  ).flat();
  return {
    roles: invitableRoles(actor),
    provinces,
    centres: centres.map((c) => ({ id: c.code, name: c.name, province: c.province, county: c.county })),
    institutions: institutions.map((i) => ({ id: i.code, name: i.name })),
  };
}
