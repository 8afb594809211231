import type { Database } from "better-sqlite3";
import type { Platform } from "../../platforms/capabilities.js";
import {
  AUDIT_COLLAPSE_MS,
  type AccessRepository,
  type AuditRecord,
  type CoordinatorRole,
  type Grant,
  type IdentityRef,
  type Invite,
  type RedeemOutcome,
} from "../port/index.js";

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

  async claimOnce(key: string, expiresAt: Date, now = new Date()) {
    return this.db
      .transaction(() => {
        this.db.prepare("DELETE FROM one_time_claims WHERE expires_at <= ?").run(now.toISOString());
        return (
          this.db
            .prepare("INSERT OR IGNORE INTO one_time_claims (key, expires_at) VALUES (?, ?)")
            .run(key, expiresAt.toISOString()).changes === 1
        );
      })
      .immediate();
  }

  async claimed(key: string, now = new Date()) {
    return (
      this.db.prepare("SELECT 1 FROM one_time_claims WHERE key = ? AND expires_at > ?").get(key, now.toISOString()) !==
      undefined
    );
  }

  async audit(r: Omit<AuditRecord, "at" | "count" | "lastAt">) {
    const now = new Date();
    this.db
      .transaction(() => {
        if (r.outcome === "refused") {
          // The newest record of this actor, action and target: a refusal in a row within the window counts up.
          const last = this.db
            .prepare(
              `SELECT id, outcome, COALESCE(last_at, at) AS last FROM audit_log
               WHERE actor = ? AND action = ? AND target IS ? ORDER BY id DESC LIMIT 1`,
            )
            .get(r.actor, r.action, r.target) as { id: number; outcome: string; last: string } | undefined;
          if (last?.outcome === "refused" && now.getTime() - Date.parse(last.last) < AUDIT_COLLAPSE_MS) {
            this.db
              .prepare("UPDATE audit_log SET count = count + 1, last_at = ? WHERE id = ?")
              .run(now.toISOString(), last.id);
            return;
          }
        }
        this.db
          .prepare(
            "INSERT INTO audit_log (actor, action, scope, target, outcome, details, at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          )
          .run(
            r.actor,
            r.action,
            r.scope,
            r.target,
            r.outcome,
            r.details ? JSON.stringify(r.details) : null,
            now.toISOString(),
            now.toISOString(),
          );
      })
      .immediate();
  }

  async auditLog(filter: { since?: Date; until?: Date; actor?: string; limit: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    const last = "COALESCE(last_at, at)";
    if (filter.since) where.push(`${last} >= ?`) && args.push(filter.since.toISOString());
    if (filter.until) where.push(`${last} < ?`) && args.push(filter.until.toISOString());
    if (filter.actor) where.push("actor = ?") && args.push(filter.actor);
    const rows = this.db
      .prepare(
        `SELECT actor, action, scope, target, outcome, details, at, count, ${last} AS last_at FROM audit_log
         ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args, filter.limit) as (Omit<AuditRecord, "details" | "at" | "lastAt"> & {
      details: string | null;
      at: string;
      last_at: string;
    })[];
    return rows.map(({ last_at, ...r }) => ({
      ...r,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      at: new Date(r.at),
      lastAt: new Date(last_at),
    }));
  }

  async openInvites(now: Date) {
    const rows = this.db
      .prepare("SELECT * FROM invites WHERE used_by IS NULL AND expires_ms > ? ORDER BY expires_ms, id")
      .all(now.getTime()) as InviteRow[];
    return rows.map(inviteOf);
  }

  async deleteInvite(id: string) {
    return this.db.prepare("DELETE FROM invites WHERE id = ? AND used_by IS NULL").run(id).changes > 0;
  }

  async deleteOpenInvitesBy(createdBy: string) {
    return this.db.prepare("DELETE FROM invites WHERE created_by = ? AND used_by IS NULL").run(createdBy).changes;
  }
}
