import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { ReminderKind, SessionStatus } from "../../domain/sessions.js";
import type { DayPart } from "../../domain/taxonomy.js";
import type {
  Certificate,
  CertificateRepository,
  NewSession,
  ServiceSession,
  SessionFilter,
  SessionPatch,
  SessionRepository,
} from "../port/index.js";

interface SessionRow {
  id: string;
  offer_id: string;
  need_id: string;
  person_id: string;
  centre_code: string;
  date: string;
  part: string;
  starts_ms: number;
  ends_ms: number;
  status: string;
  reminded: string;
  confirmed_at: string | null;
  cancelled_at: string | null;
  check_in_at: string | null;
  check_out_at: string | null;
  check_in_by: string | null;
  check_in_distance_m?: number | null;
  minutes: number | null;
  corrected_by: string | null;
  correction_reason: string | null;
  credit_key: string | null;
  credited_by: string | null;
  created_at: string;
}

const dateOrNull = (v: string | null) => (v ? new Date(v) : null);

export const sessionOf = (r: SessionRow): ServiceSession => ({
  id: r.id,
  offerId: r.offer_id,
  needId: r.need_id,
  personId: r.person_id,
  centreCode: r.centre_code,
  date: r.date,
  part: r.part as DayPart,
  startsAt: new Date(r.starts_ms),
  endsAt: new Date(r.ends_ms),
  status: r.status as SessionStatus,
  reminded: Object.fromEntries(
    Object.entries(JSON.parse(r.reminded) as Record<string, string>).map(([k, v]) => [k, new Date(v)]),
  ) as ServiceSession["reminded"],
  confirmedAt: dateOrNull(r.confirmed_at),
  cancelledAt: dateOrNull(r.cancelled_at),
  checkInAt: dateOrNull(r.check_in_at),
  checkOutAt: dateOrNull(r.check_out_at),
  checkInBy: r.check_in_by,
  checkInDistanceM: r.check_in_distance_m ?? null,
  minutes: r.minutes,
  correctedBy: r.corrected_by,
  correctionReason: r.correction_reason,
  creditKey: r.credit_key,
  creditedBy: r.credited_by,
  createdAt: new Date(r.created_at),
});

/** Each patch field's column, and how its value is stored. */
const COLUMNS: Record<keyof SessionPatch, [string, (v: never) => unknown]> = {
  confirmedAt: ["confirmed_at", (v: Date | null) => v?.toISOString() ?? null],
  cancelledAt: ["cancelled_at", (v: Date | null) => v?.toISOString() ?? null],
  checkInAt: ["check_in_at", (v: Date | null) => v?.toISOString() ?? null],
  checkOutAt: ["check_out_at", (v: Date | null) => v?.toISOString() ?? null],
  checkInBy: ["check_in_by", (v: string | null) => v],
  checkInDistanceM: ["check_in_distance_m", (v: number | null) => v],
  minutes: ["minutes", (v: number | null) => v],
  correctedBy: ["corrected_by", (v: string | null) => v],
  correctionReason: ["correction_reason", (v: string | null) => v],
  creditKey: ["credit_key", (v: string | null) => v],
  creditedBy: ["credited_by", (v: string | null) => v],
};

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly db: Database) {}

  async create(sessions: NewSession[]): Promise<ServiceSession[]> {
    const insert = this.db.prepare(
      `INSERT INTO service_sessions (id, offer_id, need_id, person_id, centre_code, date, part, starts_ms, ends_ms,
         status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?)
       ON CONFLICT (offer_id, date, part) DO NOTHING RETURNING *`,
    );
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      return sessions.flatMap((s) => {
        const row = insert.get(
          randomUUID(),
          s.offerId,
          s.needId,
          s.personId,
          s.centreCode,
          s.date,
          s.part,
          s.startsAt.getTime(),
          s.endsAt.getTime(),
          now,
        ) as SessionRow | undefined;
        return row ? [sessionOf(row)] : [];
      });
    })();
  }

  async centresWithSessions(from: Date, to: Date) {
    const rows = this.db
      .prepare(
        "SELECT DISTINCT centre_code FROM service_sessions WHERE starts_ms >= ? AND starts_ms < ? ORDER BY centre_code",
      )
      .all(from.getTime(), to.getTime()) as { centre_code: string }[];
    return rows.map((r) => r.centre_code);
  }

  async get(id: string) {
    const row = this.db.prepare("SELECT * FROM service_sessions WHERE id = ?").get(id) as SessionRow | undefined;
    return row ? sessionOf(row) : null;
  }

  async list(f: SessionFilter, limit: number) {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => (where.push(sql), args.push(...values));
    if (f.personId !== undefined) add("person_id = ?", f.personId);
    if (f.offerId !== undefined) add("offer_id = ?", f.offerId);
    if (f.creditKey !== undefined) add("credit_key = ?", f.creditKey);
    if (f.centreCodes) add(`centre_code IN (${placeholders(f.centreCodes.length)})`, ...f.centreCodes);
    if (f.statuses) add(`status IN (${placeholders(f.statuses.length)})`, ...f.statuses);
    if (f.startsFrom) add("starts_ms >= ?", f.startsFrom.getTime());
    if (f.startsBefore) add("starts_ms < ?", f.startsBefore.getTime());
    if (f.endsBefore) add("ends_ms < ?", f.endsBefore.getTime());
    if (f.notReminded) add("json_extract(reminded, '$.' || ?) IS NULL", f.notReminded);
    const rows = this.db
      .prepare(
        `SELECT * FROM service_sessions ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY starts_ms, id LIMIT ?`,
      )
      .all(...args, limit) as SessionRow[];
    return rows.map(sessionOf);
  }

  async move(id: string, from: readonly SessionStatus[], to: SessionStatus, patch: SessionPatch = {}) {
    return this.#update(id, from, { status: to }, patch);
  }

  async patch(id: string, within: readonly SessionStatus[], patch: SessionPatch) {
    return this.#update(id, within, {}, patch);
  }

  #update(id: string, within: readonly SessionStatus[], extra: { status?: SessionStatus }, patch: SessionPatch) {
    if (within.length === 0) return null;
    const sets: string[] = [];
    const args: unknown[] = [];
    if (extra.status) (sets.push("status = ?"), args.push(extra.status));
    for (const [field, value] of Object.entries(patch) as [keyof SessionPatch, never][]) {
      const [column, store] = COLUMNS[field];
      sets.push(`${column} = ?`);
      args.push(store(value));
    }
    if (sets.length === 0) return null;
    const row = this.db
      .prepare(
        `UPDATE service_sessions SET ${sets.join(", ")} WHERE id = ? AND status IN (${placeholders(within.length)}) RETURNING *`,
      )
      .get(...args, id, ...within) as SessionRow | undefined;
    return row ? sessionOf(row) : null;
  }

  async claimReminder(id: string, kind: ReminderKind, at: Date, within: readonly SessionStatus[]) {
    const r = this.db
      .prepare(
        `UPDATE service_sessions SET reminded = json_set(reminded, '$.' || ?, ?)
         WHERE id = ? AND json_extract(reminded, '$.' || ?) IS NULL AND status IN (${placeholders(within.length)})`,
      )
      .run(kind, at.toISOString(), id, kind, ...within);
    return r.changes > 0;
  }

  async cancelFrom(offerId: string, from: Date, within: readonly SessionStatus[], at: Date) {
    const rows = this.db
      .prepare(
        `UPDATE service_sessions SET status = 'cancelled', cancelled_at = ?
         WHERE offer_id = ? AND starts_ms >= ? AND status IN (${placeholders(within.length)}) RETURNING *`,
      )
      .all(at.toISOString(), offerId, from.getTime(), ...within) as SessionRow[];
    return rows.map(sessionOf).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  }
}

interface CertificateRow {
  code: string;
  person_id: string;
  name: string;
  minutes: number;
  issued_at: string;
  superseded_by: string | null;
}

export const certificateOf = (r: CertificateRow): Certificate => ({
  code: r.code,
  personId: r.person_id,
  name: r.name,
  minutes: r.minutes,
  issuedAt: new Date(r.issued_at),
  supersededBy: r.superseded_by ?? null,
});

export class SqliteCertificateRepository implements CertificateRepository {
  constructor(private readonly db: Database) {}

  async issue(c: Omit<Certificate, "supersededBy">) {
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO certificates (code, person_id, name, minutes, issued_at) VALUES (?, ?, ?, ?, ?)")
        .run(c.code, c.personId, c.name, c.minutes, c.issuedAt.toISOString());
      this.db
        .prepare(
          "UPDATE certificates SET superseded_by = ? WHERE person_id = ? AND code <> ? AND superseded_by IS NULL",
        )
        .run(c.code, c.personId, c.code);
    })();
    return { ...c, supersededBy: null };
  }

  async get(code: string) {
    const row = this.db.prepare("SELECT * FROM certificates WHERE code = ?").get(code) as CertificateRow | undefined;
    return row ? certificateOf(row) : null;
  }

  async of(personId: string) {
    const rows = this.db
      .prepare("SELECT * FROM certificates WHERE person_id = ? ORDER BY issued_at DESC, code")
      .all(personId) as CertificateRow[];
    return rows.map(certificateOf);
  }
}
