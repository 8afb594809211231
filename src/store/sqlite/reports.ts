import type { Database } from "better-sqlite3";
import { utcOffsetMinutes } from "../../domain/quiet-hours.js";
import type { Count, RegistrationStats, ReportRepository } from "../port/index.js";

export class SqliteReportRepository implements ReportRepository {
  constructor(private readonly db: Database) {}

  async registrations(
    filter: { provinces?: string[]; from?: Date; to?: Date },
    since: Date,
    timeZone: string,
  ): Promise<RegistrationStats> {
    // Every query binds the scope's values first: the provinces, then the window's ends.
    const scopeArgs: string[] = [
      ...(filter.provinces ?? []),
      ...(filter.from ? [filter.from.toISOString()] : []),
      ...(filter.to ? [filter.to.toISOString()] : []),
    ];
    const scope = `p.registered_at IS NOT NULL AND p.erased_at IS NULL${
      filter.provinces?.length ? ` AND p.province IN (${filter.provinces.map(() => "?").join(", ")})` : ""
    }${filter.from ? " AND p.registered_at >= ?" : ""}${filter.to ? " AND p.registered_at < ?" : ""}`;
    const counts = (sql: string, ...args: unknown[]): Count[] =>
      (this.db.prepare(`${sql} ORDER BY n DESC, key`).all(...scopeArgs, ...args) as Count[]).map((c) => ({
        key: c.key ?? "",
        n: c.n,
      }));
    const one = (sql: string) => (this.db.prepare(sql).get(...scopeArgs) as { n: number }).n;
    const offset = `${utcOffsetMinutes(since, timeZone) >= 0 ? "+" : ""}${utcOffsetMinutes(since, timeZone)} minutes`;
    return {
      total: one(`SELECT COUNT(*) AS n FROM people p WHERE ${scope}`),
      reachable: one(
        `SELECT COUNT(*) AS n FROM people p WHERE ${scope}
         AND EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id AND i.reachable = 1)`,
      ),
      byDay: counts(
        `SELECT date(p.registered_at, '${offset}') AS key, COUNT(*) AS n FROM people p
         WHERE ${scope} AND p.registered_at >= ? GROUP BY key`,
        since.toISOString(),
      ).sort((a, b) => a.key.localeCompare(b.key)),
      byProvince: counts(`SELECT p.province AS key, COUNT(*) AS n FROM people p WHERE ${scope} GROUP BY key`),
      byCounty: counts(`SELECT p.county AS key, COUNT(*) AS n FROM people p WHERE ${scope} GROUP BY key`),
      bySource: counts(`SELECT COALESCE(p.source, '') AS key, COUNT(*) AS n FROM people p WHERE ${scope} GROUP BY key`),
      byRole: counts(
        `SELECT r.role AS key, COUNT(*) AS n FROM people p JOIN person_roles r ON r.person_id = p.id WHERE ${scope} GROUP BY key`,
      ),
      bySkill: counts(
        `SELECT s.skill AS key, COUNT(*) AS n FROM people p JOIN person_skills s ON s.person_id = p.id WHERE ${scope} GROUP BY key`,
      ),
    };
  }
}
