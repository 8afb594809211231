import type { Count, RegistrationStats, ReportRepository } from "../port/index.js";
import type { Models } from "./models.js";

/** By count, then by key in code-point order: SQLite's `ORDER BY n DESC, key` (BINARY collation), not a locale's. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (rows: { _id: string | null; n: number }[]): Count[] =>
  rows.map((r) => ({ key: r._id ?? "", n: r.n })).sort((a, b) => b.n - a.n || byCodePoint(a.key, b.key));

export class MongoReportRepository implements ReportRepository {
  constructor(private readonly models: Models) {}

  async registrations(
    filter: { provinces?: string[]; from?: Date; to?: Date },
    since: Date,
    timeZone: string,
  ): Promise<RegistrationStats> {
    const registeredAt: Record<string, unknown> = { $type: "date" };
    if (filter.from) registeredAt.$gte = filter.from;
    if (filter.to) registeredAt.$lt = filter.to;
    const match: Record<string, unknown> = { registeredAt, erasedAt: null };
    if (filter.provinces?.length) match.province = { $in: filter.provinces };
    const group = (field: string) => [{ $group: { _id: field, n: { $sum: 1 } } }];
    const [r] = await this.models.Person.aggregate<Record<string, { _id: string | null; n: number }[]>>([
      { $match: match },
      {
        $facet: {
          total: group("all"),
          reachable: [{ $match: { identities: { $elemMatch: { reachable: true } } } }, ...group("all")],
          byDay: [
            { $match: { registeredAt: { $gte: since } } },
            {
              $group: {
                _id: { $dateToString: { format: "%Y-%m-%d", date: "$registeredAt", timezone: timeZone } },
                n: { $sum: 1 },
              },
            },
          ],
          byProvince: group("$province"),
          byCounty: group("$county"),
          bySource: group("$source"),
          byRole: [{ $unwind: "$roles" }, ...group("$roles")],
          bySkill: [{ $unwind: "$skills" }, ...group("$skills")],
        },
      },
    ]);
    const facets = r ?? {};
    return {
      total: facets.total?.[0]?.n ?? 0,
      reachable: facets.reachable?.[0]?.n ?? 0,
      byDay: sorted(facets.byDay ?? []).sort((a, b) => byCodePoint(a.key, b.key)),
      byProvince: sorted(facets.byProvince ?? []),
      byCounty: sorted(facets.byCounty ?? []),
      bySource: sorted(facets.bySource ?? []),
      byRole: sorted(facets.byRole ?? []),
      bySkill: sorted(facets.bySkill ?? []),
    };
  }
}
