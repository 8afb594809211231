import type { Database } from "better-sqlite3";
import type { Platform } from "../../platforms/capabilities.js";
import type {
  AccessRepository,
  AuditRecord,
  CoordinatorRole,
  Grant,
  IdentityRef,
  Invite,
  RedeemOutcome,
} from "../port.js";

interface GrantRow {
  platform: string;
  user_id: string;
  role: string;
  scope: string;
  granted_by: string;
  granted_at: string;
}

export const grantOf = (r: GrantRow): Grant => ({
  platform: r.platform as Platform,
  userId: r.user_id,
  role: r.role as CoordinatorRole,
  scope: r.scope,
  grantedBy: r.granted_by,
  grantedAt: new Date(r.granted_at),
});

interface InviteRow {
  id: string;
  role: string;
  scope: string;
  created_by: string;
  expires_ms: number;
  used_by: string | null;
}

const inviteOf = (r: InviteRow): Invite => ({
  id: r.id,
  role: r.role as CoordinatorRole,
  scope: r.scope,
  createdBy: r.created_by,
  expiresAt: new Date(r.expires_ms),
  usedBy: r.used_by,
});

export class SqliteAccessRepository implements AccessRepository {
  constructor(private readonly db: Database) {}

  async createInvite(i: Omit<Invite, "usedBy">) {
    this.db
      .prepare("INSERT INTO invites (id, role, scope, created_by, expires_ms) VALUES (?, ?, ?, ?, ?)")
      .run(i.id, i.role, i.scope, i.createdBy, i.expiresAt.getTime());
    return { ...i, usedBy: null };
  }

  async redeemInvite(id: string, by: string, now: Date): Promise<RedeemOutcome> {
    return this.db
      .transaction((): RedeemOutcome => {
        const row = this.db.prepare("SELECT * FROM invites WHERE id = ?").get(id) as InviteRow | undefined;
        if (!row) return { type: "unknown" };
        if (row.used_by) return { type: "used", invite: inviteOf(row) };
        if (row.expires_ms <= now.getTime()) return { type: "expired", invite: inviteOf(row) };
        this.db.prepare("UPDATE invites SET used_by = ?, used_at = ? WHERE id = ?").run(by, now.toISOString(), id);
        return { type: "redeemed", invite: { ...inviteOf(row), usedBy: by } };
      })
      .immediate();
  }

  async grant(g: Omit<Grant, "grantedAt">) {
    const r = this.db
      .prepare(
        `INSERT OR IGNORE INTO grants (platform, user_id, role, scope, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(g.platform, g.userId, g.role, g.scope, g.grantedBy, new Date().toISOString());
    return r.changes > 0;
  }

  async revoke(ref: IdentityRef, role: CoordinatorRole, scope: string) {
    const r = this.db
      .prepare("DELETE FROM grants WHERE platform = ? AND user_id = ? AND role = ? AND scope = ?")
      .run(ref.platform, ref.userId, role, scope);
    return r.changes > 0;
  }

  async grantsOf(ref: IdentityRef) {
    const rows = this.db
      .prepare("SELECT * FROM grants WHERE platform = ? AND user_id = ? ORDER BY role, scope")
      .all(ref.platform, ref.userId) as GrantRow[];
    return rows.map(grantOf);
  }

  async list(filter: { role?: CoordinatorRole; scope?: string } = {}) {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.role) where.push("role = ?") && args.push(filter.role);
    if (filter.scope) where.push("scope = ?") && args.push(filter.scope);
    const rows = this.db
      .prepare(
        `SELECT * FROM grants ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY role, scope, platform, user_id`,
      )
      .all(...args) as GrantRow[];
    return rows.map(grantOf);
  }

  async audit(r: Omit<AuditRecord, "at">) {
    this.db
      .prepare(
        "INSERT INTO audit_log (actor, action, scope, target, outcome, details, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        r.actor,
        r.action,
        r.scope,
        r.target,
        r.outcome,
        r.details ? JSON.stringify(r.details) : null,
        new Date().toISOString(),
      );
  }

  async auditLog(filter: { since?: Date; actor?: string; limit: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.since) where.push("at >= ?") && args.push(filter.since.toISOString());
    if (filter.actor) where.push("actor = ?") && args.push(filter.actor);
    const rows = this.db
      .prepare(
        `SELECT actor, action, scope, target, outcome, details, at FROM audit_log
         ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args, filter.limit) as (Omit<AuditRecord, "details" | "at"> & { details: string | null; at: string })[];
    return rows.map((r) => ({
      ...r,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      at: new Date(r.at),
    }));
  }
}
