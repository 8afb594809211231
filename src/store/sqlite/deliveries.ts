import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { Recipient, Segment } from "../../domain/segment.js";
import type { Platform } from "../../platforms/capabilities.js";
import type { PiiCipher } from "../../security/pii.js";
import {
  NotFoundError,
  type Broadcast,
  type BroadcastExtras,
  type NewBroadcastRecord,
  type BroadcastStatus,
  type Delivery,
  type DeliveryProgress,
  type DeliveryRepository,
  type DeliveryStatus,
} from "../port/index.js";

interface BroadcastRow {
  id: string;
  text: string;
  segment: string;
  urgent: number;
  created_by: string | null;
  not_before_ms: number;
  status: BroadcastStatus;
  total: number;
  created_at: string;
  extras: string | null;
  personal: number;
  about: string | null;
}

const NO_EXTRAS: BroadcastExtras = { photo: null, link: null, imIn: false, buttons: null };
const extrasOf = (json: string | null): BroadcastExtras =>
  json ? { ...NO_EXTRAS, ...(JSON.parse(json) as BroadcastExtras) } : NO_EXTRAS;

/** A broadcast row as stored: a personal one's text is still sealed. */
export const toBroadcast = (r: BroadcastRow): Broadcast => ({
  id: r.id,
  text: r.text,
  personal: r.personal === 1,
  about: r.about ? (JSON.parse(r.about) as string[]) : [],
  segment: JSON.parse(r.segment) as Segment,
  urgent: r.urgent === 1,
  createdBy: r.created_by,
  notBefore: new Date(r.not_before_ms),
  status: r.status,
  total: r.total,
  createdAt: new Date(r.created_at),
  ...extrasOf(r.extras),
});

/** The outbox on SQLite: one UPDATE … RETURNING claims a batch atomically. */
export class SqliteDeliveryRepository implements DeliveryRepository {
  constructor(
    private readonly db: Database,
    private readonly cipher: PiiCipher,
  ) {}

  /** A personal broadcast's text, opened (see {@link Broadcast.personal}). */
  #text(text: string, personal: number | boolean): string {
    return personal ? this.cipher.decrypt(text) : text;
  }

  async createBroadcast(input: NewBroadcastRecord): Promise<Broadcast> {
    const extras: BroadcastExtras = {
      photo: input.photo ?? null,
      link: input.link ?? null,
      imIn: input.imIn ?? false,
      buttons: input.buttons ?? null,
    };
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO broadcasts (id, text, segment, urgent, created_by, not_before_ms, status, total, created_at, extras,
           personal, about) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.personal ? this.cipher.encrypt(input.text) : input.text,
        JSON.stringify(input.segment),
        input.urgent ? 1 : 0,
        input.createdBy,
        input.notBefore.getTime(),
        input.paused ? "paused" : "running",
        new Date().toISOString(),
        JSON.stringify(extras),
        input.personal ? 1 : 0,
        input.about?.length ? JSON.stringify(input.about) : null,
      );
    return (await this.getBroadcast(id))!;
  }

  async getBroadcast(id: string): Promise<Broadcast | null> {
    const row = this.db.prepare("SELECT * FROM broadcasts WHERE id = ?").get(id) as BroadcastRow | undefined;
    return row ? { ...toBroadcast(row), text: this.#text(row.text, row.personal) } : null;
  }

  async recentBroadcasts(limit: number): Promise<Broadcast[]> {
    const rows = this.db
      .prepare("SELECT * FROM broadcasts WHERE personal = 0 ORDER BY created_at DESC, id DESC LIMIT ?")
      .all(limit) as BroadcastRow[];
    return rows.map((row) => ({ ...toBroadcast(row), text: this.#text(row.text, row.personal) }));
  }

  async setBroadcastStatus(id: string, status: BroadcastStatus): Promise<void> {
    this.db
      .transaction(() => {
        const r = this.db.prepare("UPDATE broadcasts SET status = ? WHERE id = ?").run(status, id);
        if (r.changes === 0) throw new NotFoundError("broadcast", id);
        if (status === "cancelled") {
          this.db
            .prepare(
              "UPDATE deliveries SET status = 'cancelled', settled_at = ? WHERE broadcast_id = ? AND status = 'pending'",
            )
            .run(new Date().toISOString(), id);
        }
      })
      .immediate();
  }

  async enqueue(broadcastId: string, recipients: Recipient[]): Promise<number> {
    // Nobody erased since the segment was read is queued.
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO deliveries (broadcast_id, person_id, platform, chat_id, due_ms)
       SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM people WHERE id = ? AND erased_at IS NOT NULL)`,
    );
    return this.db
      .transaction(() => {
        let added = 0;
        const now = Date.now();
        for (const r of recipients)
          added += insert.run(broadcastId, r.personId, r.platform, r.chatId, now, r.personId).changes;
        this.db.prepare("UPDATE broadcasts SET total = total + ? WHERE id = ?").run(added, broadcastId);
        return added;
      })
      .immediate();
  }

  async claim(
    owner: string,
    limit: number,
    now: Date,
    leaseMs: number,
    options: { urgentOnly: boolean; bulkOnly?: boolean },
  ): Promise<Delivery[]> {
    const t = now.getTime();
    const rows = this.db
      .prepare(
        `UPDATE deliveries SET lease_owner = ?, lease_until = ?
         WHERE id IN (
           SELECT d.id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
           WHERE d.status = 'pending' AND d.due_ms <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
             AND b.status = 'running' AND b.not_before_ms <= ? ${options.urgentOnly ? "AND b.urgent = 1" : options.bulkOnly ? "AND b.urgent = 0" : ""}
           ORDER BY d.id LIMIT ?)
         RETURNING id, broadcast_id, person_id, platform, chat_id, attempts`,
      )
      .all(owner, t + leaseMs, t, t, t, limit) as {
      id: number;
      broadcast_id: string;
      person_id: string;
      platform: Platform;
      chat_id: string;
      attempts: number;
    }[];
    const broadcasts = new Map<string, BroadcastExtras & { text: string; urgent: boolean; personal: boolean }>();
    for (const id of new Set(rows.map((r) => r.broadcast_id))) {
      const b = this.db.prepare("SELECT text, urgent, extras, personal FROM broadcasts WHERE id = ?").get(id) as {
        text: string;
        urgent: number;
        extras: string | null;
        personal: number;
      };
      broadcasts.set(id, {
        text: this.#text(b.text, b.personal),
        urgent: b.urgent === 1,
        personal: b.personal === 1,
        ...extrasOf(b.extras),
      });
    }
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({
        id: String(r.id),
        broadcastId: r.broadcast_id,
        personId: r.person_id,
        platform: r.platform,
        chatId: r.chat_id,
        attempts: r.attempts,
        ...broadcasts.get(r.broadcast_id)!,
      }));
  }

  async settle(id: string, owner: string, status: Exclude<DeliveryStatus, "pending">, error?: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE deliveries SET status = ?, error = ?, settled_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
      )
      .run(status, error ?? null, new Date().toISOString(), Number(id), owner);
  }

  async settleSent(ids: string[], owner: string): Promise<void> {
    const stmt = this.db.prepare(
      `UPDATE deliveries SET status = 'sent', settled_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
    );
    const at = new Date().toISOString();
    this.db
      .transaction(() => {
        for (const id of ids) stmt.run(at, Number(id), owner);
      })
      .immediate();
  }

  async retryLater(id: string, owner: string, at: Date, error: string, countAttempt: boolean): Promise<void> {
    this.db
      .prepare(
        `UPDATE deliveries SET due_ms = ?, error = ?, attempts = attempts + ?, lease_owner = NULL, lease_until = NULL
         WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
      )
      .run(at.getTime(), error, countAttempt ? 1 : 0, Number(id), owner);
  }

  async respond(broadcastId: string, personId: string) {
    // Only a recipient's answer counts (a forged button for another broadcast is not one).
    if (
      !this.db.prepare("SELECT 1 FROM deliveries WHERE broadcast_id = ? AND person_id = ?").get(broadcastId, personId)
    )
      return "not_sent" as const;
    const added = this.db
      .prepare("INSERT OR IGNORE INTO broadcast_responses (broadcast_id, person_id, responded_at) VALUES (?, ?, ?)")
      .run(broadcastId, personId, new Date().toISOString()).changes;
    return added === 1 ? ("recorded" as const) : ("already" as const);
  }

  async responses(broadcastId: string): Promise<number> {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM broadcast_responses WHERE broadcast_id = ?").get(broadcastId) as {
        n: number;
      }
    ).n;
  }

  async progress(broadcastId: string): Promise<DeliveryProgress> {
    const counts: DeliveryProgress = { pending: 0, sent: 0, failed: 0, unreachable: 0, cancelled: 0 };
    const rows = this.db
      .prepare("SELECT status, COUNT(*) AS n FROM deliveries WHERE broadcast_id = ? GROUP BY status")
      .all(broadcastId) as { status: DeliveryStatus; n: number }[];
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  async purgePersonal(before: Date): Promise<number> {
    return this.db
      .transaction(() => {
        const ids = (
          this.db
            .prepare(
              `SELECT id FROM broadcasts b WHERE personal = 1 AND created_at < ?
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.broadcast_id = b.id AND d.status = 'pending')`,
            )
            .all(before.toISOString()) as { id: string }[]
        ).map((r) => r.id);
        for (const id of ids) {
          this.db.prepare("DELETE FROM deliveries WHERE broadcast_id = ?").run(id);
          this.db.prepare("DELETE FROM broadcast_responses WHERE broadcast_id = ?").run(id);
          this.db.prepare("DELETE FROM broadcasts WHERE id = ?").run(id);
        }
        return ids.length;
      })
      .immediate();
  }

  async pendingCount(): Promise<number> {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'").get() as { n: number }).n;
  }
}
