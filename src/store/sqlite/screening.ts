import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { CheckStatus } from "../../domain/screening.js";
import type { PiiCipher } from "../../security/pii.js";
import type { NewCheck, ScreeningCheck, ScreeningRepository } from "../port/index.js";

interface CheckRow {
  id: string;
  person_id: string;
  requirement: string;
  status: CheckStatus;
  score: number | null;
  institution_code: string | null;
  file_mime: string | null;
  file_bytes: number | null;
  file_sealed: string | null;
  file_dropped_at: string | null;
  expires_at: string | null;
  decided_by: string | null;
  reason: string | null;
  created_at: string;
  decided_at: string | null;
  warned: string;
}

const date = (v: string | null) => (v ? new Date(v) : null);
const checkOf = (r: CheckRow): ScreeningCheck => ({
  id: r.id,
  personId: r.person_id,
  requirement: r.requirement,
  status: r.status,
  score: r.score,
  institutionCode: r.institution_code,
  fileMime: r.file_sealed ? r.file_mime : null,
  fileBytes: r.file_sealed ? r.file_bytes : null,
  fileDroppedAt: date(r.file_dropped_at),
  expiresAt: date(r.expires_at),
  decidedBy: r.decided_by,
  reason: r.reason,
  createdAt: new Date(r.created_at),
  decidedAt: date(r.decided_at),
  warned: JSON.parse(r.warned) as number[],
});

/** Every column but the sealed file: lists never carry it. */
const COLUMNS =
  "id, person_id, requirement, status, score, institution_code, file_mime, file_bytes, " +
  "CASE WHEN file_sealed IS NULL THEN NULL ELSE 'kept' END AS file_sealed, file_dropped_at, expires_at, decided_by, " +
  "reason, created_at, decided_at, warned";

export class SqliteScreeningRepository implements ScreeningRepository {
  constructor(
    private readonly db: Database,
    private readonly cipher: PiiCipher,
  ) {}

  async record(c: NewCheck) {
    const id = randomUUID();
    this.db.transaction(() => {
      if (c.status === "pending")
        this.db
          .prepare(
            `UPDATE screening_checks SET status = 'rejected', reason = 'superseded', decided_at = ?
             WHERE person_id = ? AND requirement = ? AND status = 'pending'`,
          )
          .run(c.createdAt.toISOString(), c.personId, c.requirement);
      const decided = c.status === "pending" ? null : c.createdAt.toISOString();
      this.db
        .prepare(
          `INSERT INTO screening_checks (id, person_id, requirement, status, score, institution_code, file_mime,
             file_bytes, file_sealed, expires_at, decided_by, reason, created_at, decided_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          c.personId,
          c.requirement,
          c.status,
          c.score ?? null,
          c.institutionCode ?? null,
          c.file?.mime ?? null,
          c.file?.bytes.length ?? null,
          c.file ? this.cipher.encrypt(c.file.bytes.toString("base64")) : null,
          c.expiresAt?.toISOString() ?? null,
          c.decidedBy ?? null,
          c.reason ?? null,
          c.createdAt.toISOString(),
          decided,
        );
    })();
    return (await this.get(id))!;
  }

  async get(id: string) {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM screening_checks WHERE id = ?`).get(id) as CheckRow | undefined;
    return row ? checkOf(row) : null;
  }

  async of(personId: string) {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM screening_checks WHERE person_id = ? ORDER BY created_at DESC, id`)
      .all(personId) as CheckRow[];
    return rows.map(checkOf);
  }

  async decide(
    id: string,
    d: { approve: boolean; by: string; reason: string | null; expiresAt: Date | null; at: Date },
  ) {
    const changed = this.db
      .prepare(
        `UPDATE screening_checks SET status = ?, decided_by = ?, reason = ?, expires_at = ?, decided_at = ?
         WHERE id = ? AND status = 'pending'`,
      )
      .run(
        d.approve ? "approved" : "rejected",
        d.by,
        d.reason,
        d.approve ? (d.expiresAt?.toISOString() ?? null) : null,
        d.at.toISOString(),
        id,
      ).changes;
    return changed ? this.get(id) : null;
  }

  async pending(institutionCodes: readonly string[], limit: number) {
    if (institutionCodes.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM screening_checks WHERE status = 'pending'
         AND institution_code IN (${institutionCodes.map(() => "?").join(",")}) ORDER BY created_at, id LIMIT ?`,
      )
      .all(...institutionCodes, limit) as CheckRow[];
    return rows.map(checkOf);
  }

  async file(id: string) {
    const row = this.db.prepare("SELECT file_mime, file_sealed FROM screening_checks WHERE id = ?").get(id) as
      { file_mime: string | null; file_sealed: string | null } | undefined;
    if (!row?.file_sealed || !row.file_mime) return null;
    return { mime: row.file_mime, bytes: Buffer.from(this.cipher.decrypt(row.file_sealed), "base64") };
  }

  async dropFiles(before: Date) {
    return this.db
      .prepare(
        `UPDATE screening_checks SET file_sealed = NULL, file_dropped_at = ?
         WHERE file_sealed IS NOT NULL AND decided_at IS NOT NULL AND decided_at < ?`,
      )
      .run(before.toISOString(), before.toISOString()).changes;
  }

  async claimExpiryWarnings(from: Date, to: Date, days: number) {
    return this.db.transaction(() => {
      const rows = (
        this.db
          .prepare(
            `SELECT ${COLUMNS} FROM screening_checks WHERE status = 'approved' AND expires_at >= ? AND expires_at < ?`,
          )
          .all(from.toISOString(), to.toISOString()) as CheckRow[]
      ).filter((r) => !(JSON.parse(r.warned) as number[]).includes(days));
      const claim = this.db.prepare("UPDATE screening_checks SET warned = ? WHERE id = ?");
      for (const r of rows) claim.run(JSON.stringify([...(JSON.parse(r.warned) as number[]), days]), r.id);
      return rows.map((r) => ({ ...checkOf(r), warned: [...(JSON.parse(r.warned) as number[]), days] }));
    })();
  }

  async holders(requirements: readonly string[], now: Date) {
    if (requirements.length === 0) return new Set<string>();
    const rows = this.db
      .prepare(
        `SELECT person_id FROM screening_checks WHERE status = 'approved'
         AND (expires_at IS NULL OR expires_at > ?) AND requirement IN (${requirements.map(() => "?").join(",")})
         GROUP BY person_id HAVING COUNT(DISTINCT requirement) = ?`,
      )
      .all(now.toISOString(), ...requirements, requirements.length) as { person_id: string }[];
    return new Set(rows.map((r) => r.person_id));
  }
}
