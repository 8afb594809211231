import type { IdentityRef } from "./people.js";

/** Who may do what: role grants, invites and the audit log. */

export const COORDINATOR_ROLES = [
  "national_admin",
  "provincial_admin",
  "centre_coordinator",
  "institution_operator",
] as const;
export type CoordinatorRole = (typeof COORDINATOR_ROLES)[number];

/** A role held by one platform account, within a scope: `*`, a province id, a centre or institution code. */
export interface Grant extends IdentityRef {
  role: CoordinatorRole;
  scope: string;
  grantedBy: string;
  grantedAt: Date;
}

export interface AuditRecord {
  /** `platform:userId`, or `cli:<user>`. */
  actor: string;
  action: string;
  /** The scope the action ran in (`*`, a province, a centre…). */
  scope: string;
  /** What it acted on (a need id, an offer id…). */
  target: string | null;
  outcome: "ok" | "refused" | "failed";
  /** Anonymous details; never personal data. */
  details: Record<string, unknown> | null;
  at: Date;
  /** Refusals of the same actor, action and target in a row are one record: how many, and the last one's time. */
  count: number;
  lastAt: Date;
}

/** How long repeated refusals of one actor, action and target keep collapsing into one audit record. */
export const AUDIT_COLLAPSE_MS = 3_600_000;

/** A one-time invitation to take a role: its id travels in a signed deep link. */
export interface Invite {
  id: string;
  role: CoordinatorRole;
  scope: string;
  createdBy: string;
  expiresAt: Date;
  /** `platform:userId` of whoever redeemed it. */
  usedBy: string | null;
}

export type RedeemOutcome =
  | { type: "redeemed"; invite: Invite }
  | { type: "unknown" }
  | { type: "used"; invite: Invite }
  | { type: "expired"; invite: Invite };

export interface AccessRepository {
  createInvite(invite: Omit<Invite, "usedBy">): Promise<Invite>;
  /** Marks an invite used by `by`, atomically: two people opening one link, one gets it. */
  redeemInvite(id: string, by: string, now: Date): Promise<RedeemOutcome>;
  /** False when the account already held that role in that scope. */
  grant(g: Omit<Grant, "grantedAt">): Promise<boolean>;
  revoke(ref: IdentityRef, role: CoordinatorRole, scope: string): Promise<boolean>;
  grantsOf(ref: IdentityRef): Promise<Grant[]>;
  list(filter?: { role?: CoordinatorRole; scope?: string }): Promise<Grant[]>;
  /**
   * Appends a record. A refusal repeating the newest record of the same
   * actor, action and target (within {@link AUDIT_COLLAPSE_MS}) only counts up
   * that record: one actor cannot flood the log by repeating themself, and
   * every distinct target they probe stays on record.
   */
  audit(record: Omit<AuditRecord, "at" | "count" | "lastAt">): Promise<void>;
  /** Newest first; `since` and `until` bound the time of the (last) occurrence. */
  auditLog(filter: { since?: Date; until?: Date; actor?: string; limit: number }): Promise<AuditRecord[]>;
  /**
   * True the first time `key` is claimed before `expiresAt` (then claimable again): a one-time
   * token's use, atomic across every worker, whatever the shared state's health.
   */
  claimOnce(key: string, expiresAt: Date, now?: Date): Promise<boolean>;
  /** Whether `key` is claimed now. */
  claimed(key: string, now?: Date): Promise<boolean>;
  /** Unused, unexpired invitations. */
  openInvites(now: Date): Promise<Invite[]>;
  /** Deletes an unused invitation; false when there was none. */
  deleteInvite(id: string): Promise<boolean>;
  /** Deletes the unused invitations one account made; returns how many. */
  deleteOpenInvitesBy(createdBy: string): Promise<number>;
}
