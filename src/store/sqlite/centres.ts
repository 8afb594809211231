import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { CentreKind } from "../../domain/taxonomy.js";
import type { Centre, CentreAction, CentreRepository, ImportResult, Institution } from "../port/index.js";

interface CentreRow {
  code: string;
  kind: string;
  name: string;
  province: string;
  county: string;
  neighbourhood: string | null;
  address: string;
  phone: string | null;
  lat: number | null;
  lon: number | null;
  institution_code: string | null;
}

export const centreOf = (r: CentreRow): Centre => ({
  code: r.code,
  kind: r.kind as CentreKind,
  name: r.name,
  province: r.province,
  county: r.county,
  neighbourhood: r.neighbourhood,
  address: r.address,
  phone: r.phone,
  location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
  institutionCode: r.institution_code,
});

export class SqliteCentreRepository implements CentreRepository {
  constructor(private readonly db: Database) {}

  async reportAction(a: Omit<CentreAction, "id" | "createdAt">): Promise<CentreAction> {
    const action = { ...a, id: randomUUID(), createdAt: new Date() };
    this.db
      .prepare(
        `INSERT INTO centre_actions (id, centre_code, kind, date, participants, reported_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(action.id, a.centreCode, a.kind, a.date, a.participants, a.reportedBy, action.createdAt.toISOString());
    return action;
  }

  async actions(filter: { centreCodes: string[]; from: string; to: string }): Promise<CentreAction[]> {
    if (filter.centreCodes.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT id, centre_code AS centreCode, kind, date, participants, reported_by AS reportedBy, created_at AS createdAt
         FROM centre_actions WHERE centre_code IN (${filter.centreCodes.map(() => "?").join(", ")})
         AND date >= ? AND date <= ? ORDER BY date, created_at`,
      )
      .all(...filter.centreCodes, filter.from, filter.to) as (Omit<CentreAction, "createdAt"> & {
      createdAt: string;
    })[];
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  async upsertInstitutions(rows: Institution[]): Promise<ImportResult> {
    const exists = this.db.prepare("SELECT 1 FROM institutions WHERE code = ?");
    const upsert = this.db.prepare(
      `INSERT INTO institutions (code, name, province, phone) VALUES (@code, @name, @province, @phone)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, province = excluded.province, phone = excluded.phone`,
    );
    return this.#upsertAll(
      rows,
      (r) => !!exists.get(r.code),
      (r) => upsert.run(r),
    );
  }

  async upsertCentres(rows: Centre[]): Promise<ImportResult> {
    const exists = this.db.prepare("SELECT 1 FROM centres WHERE code = ?");
    const upsert = this.db.prepare(
      `INSERT INTO centres (code, kind, name, province, county, neighbourhood, address, phone, lat, lon, institution_code)
       VALUES (@code, @kind, @name, @province, @county, @neighbourhood, @address, @phone, @lat, @lon, @institutionCode)
       ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name, province = excluded.province,
         county = excluded.county, neighbourhood = excluded.neighbourhood, address = excluded.address,
         phone = excluded.phone, lat = excluded.lat, lon = excluded.lon, institution_code = excluded.institution_code`,
    );
    return this.#upsertAll(
      rows,
      (r) => !!exists.get(r.code),
      ({ location, ...r }) => upsert.run({ ...r, lat: location?.lat ?? null, lon: location?.lon ?? null }),
    );
  }

  async getInstitution(code: string): Promise<Institution | null> {
    return (this.db.prepare("SELECT code, name, province, phone FROM institutions WHERE code = ?").get(code) ??
      null) as Institution | null;
  }

  async checkInEpoch(code: string): Promise<number> {
    const row = this.db.prepare("SELECT check_in_epoch FROM centres WHERE code = ?").get(code) as
      { check_in_epoch: number } | undefined;
    return row?.check_in_epoch ?? 0;
  }

  async rotateCheckIn(code: string): Promise<number | null> {
    const row = this.db
      .prepare("UPDATE centres SET check_in_epoch = check_in_epoch + 1 WHERE code = ? RETURNING check_in_epoch")
      .get(code) as { check_in_epoch: number } | undefined;
    return row?.check_in_epoch ?? null;
  }

  async getCentre(code: string): Promise<Centre | null> {
    const row = this.db.prepare("SELECT * FROM centres WHERE code = ?").get(code) as CentreRow | undefined;
    return row ? centreOf(row) : null;
  }

  async listInstitutions(filter: { province?: string } = {}): Promise<Institution[]> {
    const where = filter.province ? "WHERE province = ?" : "";
    return this.db
      .prepare(`SELECT code, name, province, phone FROM institutions ${where} ORDER BY code`)
      .all(...(filter.province ? [filter.province] : [])) as Institution[];
  }

  async listCentres(filter: { province?: string; county?: string; codes?: string[] } = {}): Promise<Centre[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.province) where.push("province = ?") && args.push(filter.province);
    if (filter.county) where.push("county = ?") && args.push(filter.county);
    if (filter.codes) {
      if (filter.codes.length === 0) return [];
      where.push(`code IN (${filter.codes.map(() => "?").join(", ")})`);
      args.push(...filter.codes);
    }
    const rows = this.db
      .prepare(`SELECT * FROM centres ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY code`)
      .all(...args) as CentreRow[];
    return rows.map(centreOf);
  }

  #upsertAll<T>(rows: T[], exists: (r: T) => boolean, write: (r: T) => unknown): ImportResult {
    return this.db.transaction(() => {
      const result = { inserted: 0, updated: 0 };
      for (const r of rows) {
        if (exists(r)) result.updated++;
        else result.inserted++;
        write(r);
      }
      return result;
    })();
  }
}
