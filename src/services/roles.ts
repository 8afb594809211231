import { createHash } from "node:crypto";
import { fail, ok, type Result } from "../domain/result.js";
import type { Grant, IdentityRef, Invite } from "../store/port/index.js";
import { audit, isNational, type Actor } from "./access.js";
import { mayAssign, pruneInvitesOf, visibleInvites, type InviteDeps } from "./invites.js";

/** A grant's short, stable handle for a button or a form (it never carries who or what). */
export const grantHandle = (g: Grant) =>
  createHash("sha256").update(`${g.platform}:${g.userId}:${g.role}:${g.scope}`).digest("base64url").slice(0, 12);

/** An open invitation's handle. */
export const inviteHandle = (i: Invite) =>
  createHash("sha256").update(`invite:${i.id}`).digest("base64url").slice(0, 12);

/** The grants an actor may see and revoke: all for national admins, their province's for provincial ones. */
export async function visibleGrants(d: Pick<InviteDeps, "store">, actor: Actor): Promise<Grant[]> {
  const all = await d.store.access.list();
  if (isNational(actor)) return all;
  const mine: Grant[] = [];
  for (const g of all) if (await mayAssign(d.store, actor, g.role, g.scope)) mine.push(g);
  return mine;
}

/**
 * Revokes the grant a handle names, if the actor may: its holder's open
 * invitations they can no longer hand out go with it, and their command menu
 * is refreshed (`refreshMenu`). Audited either way.
 */
export async function revokeGrant(
  d: InviteDeps & { refreshMenu: (ref: IdentityRef) => Promise<void> },
  actor: Actor,
  handle: string,
): Promise<Result<Grant, "refused">> {
  const grant = (await visibleGrants(d, actor)).find((g) => grantHandle(g) === handle);
  const allowed = !!grant && (await mayAssign(d.store, actor, grant.role, grant.scope));
  const revoked = allowed && (await d.store.access.revoke(grant, grant.role, grant.scope));
  const withdrawn = revoked ? await pruneInvitesOf(d, grant) : 0;
  if (revoked) await d.refreshMenu(grant);
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "role.revoke",
    scope: grant?.scope ?? "*",
    target: grant ? `${grant.platform}:${grant.userId}` : null,
    outcome: revoked ? "ok" : "refused",
    details: grant ? { role: grant.role, ...(withdrawn ? { invitesWithdrawn: withdrawn } : {}) } : null,
  });
  return revoked ? ok(grant) : fail("refused");
}

/** Withdraws an open invitation the actor could have made themselves. Audited either way. */
export async function withdrawInvite(d: InviteDeps, actor: Actor, handle: string): Promise<Result<Invite, "refused">> {
  const invite = (await visibleInvites(d, actor)).find((i) => inviteHandle(i) === handle);
  const withdrawn = !!invite && (await d.store.access.deleteInvite(invite.id));
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "invite.withdraw",
    scope: invite?.scope ?? "*",
    target: invite?.id ?? null,
    outcome: withdrawn ? "ok" : "refused",
    details: invite ? { role: invite.role } : null,
  });
  return withdrawn ? ok(invite) : fail("refused");
}
