import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import { afterOffer, TopCandidates, type CandidateQuery, type ScoredCandidate } from "../../domain/matching.js";
import {
  ACTIVE_NEED_STATUSES,
  answerStatus,
  FILLING_OFFER_STATUSES,
  refilledStatus,
  type NeedStatus,
  type OfferAnswer,
  type OfferStatus,
} from "../../domain/needs.js";
import type { Slot } from "../../domain/taxonomy.js";
import type { CandidateCache } from "./candidate-cache.js";
import type { AnswerOutcome, HourReport, Need, NeedRepository, NewNeed, Offer } from "../port/index.js";

interface NeedRow {
  id: string;
  kind: string;
  centre_code: string;
  requester_id: string | null;
  created_by: string;
  role: string | null;
  skills: string;
  wanted: number;
  filled: number;
  start_date: string;
  end_date: string;
  slots: string;
  reach: string;
  notes: string | null;
  status: string;
  waves: number;
  reviewed_by: string | null;
  reject_reason: string | null;
  created_at: string;
  updated_at: string;
}

interface OfferRow {
  id: string;
  need_id: string;
  person_id: string;
  status: string;
  wave: number;
  score: number;
  reasons: string;
  institution_code: string | null;
  decided_by: string | null;
  reject_reason: string | null;
  created_at: string;
  expires_ms: number;
  answered_at: string | null;
}

export const needOf = (r: NeedRow): Need => ({
  id: r.id,
  kind: r.kind as Need["kind"],
  centreCode: r.centre_code,
  requesterId: r.requester_id,
  createdBy: r.created_by,
  role: r.role,
  skills: JSON.parse(r.skills) as string[],
  wanted: r.wanted,
  filled: r.filled,
  startDate: r.start_date,
  endDate: r.end_date,
  slots: JSON.parse(r.slots) as Slot[],
  reach: r.reach as Need["reach"],
  notes: r.notes,
  status: r.status as NeedStatus,
  waves: r.waves,
  reviewedBy: r.reviewed_by,
  rejectReason: r.reject_reason,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export const offerOf = (r: OfferRow): Offer => ({
  id: r.id,
  needId: r.need_id,
  personId: r.person_id,
  status: r.status as OfferStatus,
  wave: r.wave,
  score: r.score,
  reasons: JSON.parse(r.reasons) as Offer["reasons"],
  institutionCode: r.institution_code,
  decidedBy: r.decided_by,
  rejectReason: r.reject_reason,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_ms),
  answeredAt: r.answered_at ? new Date(r.answered_at) : null,
});

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");
const FILLING = `(${FILLING_OFFER_STATUSES.map((s) => `'${s}'`).join(", ")})`;
const ACTIVE = `(${ACTIVE_NEED_STATUSES.map((s) => `'${s}'`).join(", ")})`;

export class SqliteNeedRepository implements NeedRepository {
  constructor(
    private readonly db: Database,
    private readonly cache: CandidateCache,
  ) {}

  async create(n: NewNeed): Promise<Need> {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO needs (id, kind, centre_code, requester_id, created_by, role, skills, wanted, start_date, end_date,
           slots, reach, notes, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        n.kind,
        n.centreCode,
        n.requesterId,
        n.createdBy,
        n.role,
        JSON.stringify(n.skills),
        n.wanted,
        n.startDate,
        n.endDate,
        JSON.stringify(n.slots),
        n.reach,
        n.notes,
        n.status,
        now,
        now,
      );
    return this.#need(id)!;
  }

  async get(id: string): Promise<Need | null> {
    return this.#need(id);
  }

  async list(filter: { centreCodes?: string[]; statuses?: NeedStatus[]; requesterId?: string; kind?: Need["kind"] }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.centreCodes) {
      if (filter.centreCodes.length === 0) return [];
      where.push(`centre_code IN (${placeholders(filter.centreCodes.length)})`);
      args.push(...filter.centreCodes);
    }
    if (filter.statuses?.length) {
      where.push(`status IN (${placeholders(filter.statuses.length)})`);
      args.push(...filter.statuses);
    }
    if (filter.requesterId) where.push("requester_id = ?") && args.push(filter.requesterId);
    if (filter.kind) where.push("kind = ?") && args.push(filter.kind);
    const rows = this.db
      .prepare(`SELECT * FROM needs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id`)
      .all(...args) as NeedRow[];
    return rows.map(needOf);
  }

  async edit(id: string, patch: { wanted: number; endDate: string; notes: string | null }): Promise<Need | null> {
    const row = this.db
      .prepare(
        `UPDATE needs SET wanted = @wanted, end_date = @endDate, notes = @notes, updated_at = @now,
           status = CASE WHEN filled >= @wanted THEN 'filled' WHEN filled > 0 THEN 'partly_filled' ELSE 'open' END
         WHERE id = @id AND kind = 'centre' AND status IN ('open', 'partly_filled', 'filled') AND filled <= @wanted
         RETURNING id`,
      )
      .get({ ...patch, id, now: new Date().toISOString() }) as { id: string } | undefined;
    return row ? this.get(row.id) : null;
  }

  async transition(id: string, from: readonly NeedStatus[], to: NeedStatus, by?: string, reason?: string) {
    const result = this.db
      .prepare(
        `UPDATE needs SET status = ?, updated_at = ?, reviewed_by = COALESCE(?, reviewed_by),
           reject_reason = COALESCE(?, reject_reason)
         WHERE id = ? AND status IN (${placeholders(from.length)})`,
      )
      .run(to, new Date().toISOString(), by ?? null, reason ?? null, id, ...from);
    return result.changes > 0;
  }

  async expireEnded(today: string): Promise<Need[]> {
    const rows = this.db
      .prepare(
        `UPDATE needs SET status = 'expired', updated_at = ? WHERE status IN ${ACTIVE} AND end_date < ? RETURNING *`,
      )
      .all(new Date().toISOString(), today) as NeedRow[];
    return rows.map(needOf);
  }

  async candidates(q: CandidateQuery, limit: number, now: Date): Promise<ScoredCandidate[]> {
    const tags = q.role ? [`r:${q.role}`] : q.skills.map((s) => `s:${s}`);
    if (tags.length === 0 || q.slotMask === 0 || limit <= 0) return [];
    const top = new TopCandidates(q, limit, now.getTime());
    this.cache.each(q, tags, (row) => top.offer(row));
    return top.result();
  }

  async createOffers(needId: string, candidates: ScoredCandidate[], now: Date, expiresAt: Date): Promise<Offer[]> {
    return this.db
      .transaction(() => {
        const need = this.db
          .prepare("UPDATE needs SET waves = waves + 1, updated_at = ? WHERE id = ? RETURNING waves")
          .get(now.toISOString(), needId) as { waves: number } | undefined;
        if (!need) return [];
        const insert = this.db.prepare(
          `INSERT OR IGNORE INTO offers (id, need_id, person_id, status, wave, score, reasons, created_at, expires_ms)
           VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
        );
        const ids: string[] = [];
        for (const c of candidates) {
          const id = randomUUID();
          const r = insert.run(
            id,
            needId,
            c.row.personId,
            need.waves,
            c.score,
            JSON.stringify(c.reasons),
            now.toISOString(),
            expiresAt.getTime(),
          );
          if (r.changes === 0) continue;
          ids.push(id);
          this.#bumpStats(c.row.personId, now.getTime());
        }
        return ids.map((id) => this.#offer(id)!);
      })
      .immediate();
  }

  async getOffer(id: string): Promise<Offer | null> {
    return this.#offer(id);
  }

  async offers(needId: string): Promise<Offer[]> {
    return (
      this.db.prepare("SELECT * FROM offers WHERE need_id = ? ORDER BY wave, score DESC, id").all(needId) as OfferRow[]
    ).map(offerOf);
  }

  async askedFor(needId: string): Promise<Set<string>> {
    const rows = this.db.prepare("SELECT person_id FROM offers WHERE need_id = ?").raw().all(needId) as [string][];
    return new Set(rows.map((r) => r[0]));
  }

  async answer(
    offerId: string,
    personId: string,
    answer: OfferAnswer,
    now: Date,
    institutionCode: string | null,
  ): Promise<AnswerOutcome> {
    return this.db
      .transaction((): AnswerOutcome => {
        const offer = this.#offer(offerId);
        if (!offer || offer.personId !== personId) throw new Error("offer not found for this person");
        const open = (offer.status === "pending" || offer.status === "deferred") && offer.expiresAt > now;
        if (!open) return { type: "closed", offer };
        const need = this.#need(offer.needId)!;
        if (answer === "accept" && (!ACTIVE_NEED_STATUSES.includes(need.status) || need.filled >= need.wanted))
          return { type: "full", offer, need };
        this.db
          .prepare("UPDATE offers SET status = ?, answered_at = ?, institution_code = ? WHERE id = ?")
          .run(answerStatus[answer], now.toISOString(), answer === "accept" ? institutionCode : null, offerId);
        if (answer === "decline") this.#setStreak(personId, "decline_streak + 1");
        if (answer === "accept") {
          this.#setStreak(personId, "0");
          this.#refill(need.id);
        }
        return { type: "answered", offer: this.#offer(offerId)!, need: this.#need(need.id)! };
      })
      .immediate();
  }

  async decide(offerId: string, approve: boolean, by: string, reason: string | null) {
    return this.db
      .transaction(() => {
        const result = this.db
          .prepare(
            "UPDATE offers SET status = ?, decided_by = ?, reject_reason = ? WHERE id = ? AND status = 'accepted'",
          )
          .run(approve ? "approved" : "rejected", by, approve ? null : reason, offerId);
        if (result.changes === 0) return null;
        const offer = this.#offer(offerId)!;
        if (!approve) this.#refill(offer.needId);
        return { offer, need: this.#need(offer.needId)! };
      })
      .immediate();
  }

  async release(offerId: string) {
    return this.db
      .transaction(() => {
        const r = this.db
          .prepare("UPDATE offers SET status = 'cancelled' WHERE id = ? AND status = 'approved'")
          .run(offerId);
        if (r.changes === 0) return null;
        const offer = this.#offer(offerId)!;
        this.#refill(offer.needId);
        return { offer, need: this.#need(offer.needId)! };
      })
      .immediate();
  }

  async awaitingDecision(institutionCodes: string[]): Promise<Offer[]> {
    if (institutionCodes.length === 0) return [];
    return (
      this.db
        .prepare(
          `SELECT * FROM offers WHERE status = 'accepted' AND institution_code IN (${placeholders(institutionCodes.length)})
           ORDER BY answered_at`,
        )
        .all(...institutionCodes) as OfferRow[]
    ).map(offerOf);
  }

  async expireOffers(now: Date): Promise<Offer[]> {
    const rows = this.db
      .prepare(
        "UPDATE offers SET status = 'expired' WHERE status IN ('pending', 'deferred') AND expires_ms <= ? RETURNING *",
      )
      .all(now.getTime()) as OfferRow[];
    return rows.map(offerOf);
  }

  async withdrawOpen(needId: string): Promise<Offer[]> {
    const rows = this.db
      .prepare(
        "UPDATE offers SET status = 'withdrawn' WHERE need_id = ? AND status IN ('pending', 'deferred') RETURNING *",
      )
      .all(needId) as OfferRow[];
    return rows.map(offerOf);
  }

  async approvedOf(personId: string): Promise<Offer[]> {
    return (
      this.db
        .prepare("SELECT * FROM offers WHERE person_id = ? AND status = 'approved' ORDER BY created_at DESC")
        .all(personId) as OfferRow[]
    ).map(offerOf);
  }

  /** Recounts a need's taken places and moves an active need between open, partly filled and filled. */
  #refill(needId: string): void {
    const { n } = this.db
      .prepare(`SELECT COUNT(*) AS n FROM offers WHERE need_id = ? AND status IN ${FILLING}`)
      .get(needId) as { n: number };
    const need = this.#need(needId)!;
    const status = refilledStatus(need.status, need.wanted, n);
    this.db
      .prepare("UPDATE needs SET filled = ?, status = ?, updated_at = ? WHERE id = ?")
      .run(n, status, new Date().toISOString(), needId);
  }

  #bumpStats(personId: string, nowMs: number): void {
    const prev = this.db
      .prepare(
        "SELECT last_offer_ms AS lastOfferMs, recent_offers AS recentOffers FROM match_stats WHERE person_id = ?",
      )
      .get(personId) as { lastOfferMs: number | null; recentOffers: number } | undefined;
    const next = afterOffer(prev ?? { lastOfferMs: null, recentOffers: 0 }, nowMs);
    this.db
      .prepare(
        `INSERT INTO match_stats (person_id, last_offer_ms, recent_offers) VALUES (?, ?, ?)
         ON CONFLICT (person_id) DO UPDATE SET last_offer_ms = excluded.last_offer_ms, recent_offers = excluded.recent_offers`,
      )
      .run(personId, next.lastOfferMs, next.recentOffers);
    this.db
      .prepare("UPDATE match_index SET last_offer_ms = ?, recent_offers = ? WHERE person_id = ?")
      .run(next.lastOfferMs, next.recentOffers, personId);
    this.cache.touched(personId);
  }

  /** Sets the declines-in-a-row counter to an SQL expression of itself (`decline_streak + 1`, `0`). */
  #setStreak(personId: string, expression: "decline_streak + 1" | "0"): void {
    this.db
      .prepare(
        `INSERT INTO match_stats (person_id, decline_streak) VALUES (?, ${expression === "0" ? 0 : 1})
         ON CONFLICT (person_id) DO UPDATE SET decline_streak = ${expression}`,
      )
      .run(personId);
    this.db
      .prepare(
        "UPDATE match_index SET decline_streak = (SELECT decline_streak FROM match_stats WHERE person_id = ?) WHERE person_id = ?",
      )
      .run(personId, personId);
    this.cache.touched(personId);
  }

  async reportHours(r: Pick<HourReport, "offerId" | "minutes" | "date">): Promise<HourReport> {
    const report: HourReport = { id: randomUUID(), ...r, status: "pending", reportedAt: new Date() };
    this.db
      .transaction(() => {
        this.db
          .prepare(
            "UPDATE hour_reports SET status = 'superseded' WHERE offer_id = ? AND date = ? AND status = 'pending'",
          )
          .run(r.offerId, r.date);
        this.db
          .prepare(
            "INSERT INTO hour_reports (id, offer_id, minutes, date, status, reported_at) VALUES (?, ?, ?, ?, 'pending', ?)",
          )
          .run(report.id, r.offerId, r.minutes, r.date, report.reportedAt.toISOString());
      })
      .immediate();
    return report;
  }

  async getHourReport(id: string): Promise<HourReport | null> {
    const row = this.db.prepare("SELECT * FROM hour_reports WHERE id = ?").get(id) as
      | {
          id: string;
          offer_id: string;
          minutes: number;
          date: string;
          status: HourReport["status"];
          reported_at: string;
        }
      | undefined;
    return row
      ? {
          id: row.id,
          offerId: row.offer_id,
          minutes: row.minutes,
          date: row.date,
          status: row.status,
          reportedAt: new Date(row.reported_at),
        }
      : null;
  }

  async confirmHourReport(id: string): Promise<boolean> {
    return (
      this.db
        .prepare("UPDATE hour_reports SET status = 'confirmed', settled_at = ? WHERE id = ? AND status = 'pending'")
        .run(new Date().toISOString(), id).changes > 0
    );
  }

  #need(id: string): Need | null {
    const row = this.db.prepare("SELECT * FROM needs WHERE id = ?").get(id) as NeedRow | undefined;
    return row ? needOf(row) : null;
  }

  #offer(id: string): Offer | null {
    const row = this.db.prepare("SELECT * FROM offers WHERE id = ?").get(id) as OfferRow | undefined;
    return row ? offerOf(row) : null;
  }
}
