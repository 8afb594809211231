import { randomUUID } from "node:crypto";
import type { Connection } from "mongoose";
import {
  neighbourhoodKey,
  RECENT_OFFERS_WINDOW_MS,
  slotsOfMask,
  TopCandidates,
  type CandidateQuery,
  type ScoredCandidate,
} from "../../domain/matching.js";
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
import type { AnswerOutcome, HourReport, Need, NeedRepository, NewNeed, Offer } from "../port/index.js";
import type { HourReportDoc, Models, NeedDoc, OfferDoc, PersonDoc } from "./models.js";

const needOf = (d: NeedDoc): Need => ({
  id: String(d._id),
  kind: d.kind as Need["kind"],
  centreCode: d.centreCode,
  requesterId: d.requesterId ?? null,
  createdBy: d.createdBy,
  role: d.role ?? null,
  skills: [...d.skills],
  wanted: d.wanted,
  filled: d.filled ?? 0,
  startDate: d.startDate,
  endDate: d.endDate,
  slots: [...d.slots] as Slot[],
  reach: d.reach as Need["reach"],
  notes: d.notes ?? null,
  status: d.status as NeedStatus,
  waves: d.waves ?? 0,
  reviewedBy: d.reviewedBy ?? null,
  rejectReason: d.rejectReason ?? null,
  createdAt: new Date(d.createdAt),
  updatedAt: new Date(d.updatedAt),
});

const offerOf = (d: OfferDoc): Offer => ({
  id: String(d._id),
  needId: d.needId,
  personId: d.personId,
  status: d.status as OfferStatus,
  wave: d.wave,
  score: d.score,
  reasons: (d.reasons ?? []) as Offer["reasons"],
  institutionCode: d.institutionCode ?? null,
  decidedBy: d.decidedBy ?? null,
  rejectReason: d.rejectReason ?? null,
  createdAt: new Date(d.createdAt),
  expiresAt: new Date(d.expiresAt),
  answeredAt: d.answeredAt ? new Date(d.answeredAt) : null,
});

type CandidateDoc = Pick<
  PersonDoc,
  "county" | "neighbourhood" | "location" | "slotMask" | "matchStats" | "roles" | "skills"
> & { _id: string };

export class MongoNeedRepository implements NeedRepository {
  constructor(
    private readonly conn: Connection,
    private readonly models: Models,
  ) {}

  async create(n: NewNeed): Promise<Need> {
    const doc = await this.models.Need.create({ _id: randomUUID(), ...n });
    return needOf(doc.toObject() as NeedDoc);
  }

  async get(id: string) {
    const d = await this.models.Need.findById(id).lean<NeedDoc>();
    return d ? needOf(d) : null;
  }

  async list(filter: { centreCodes?: string[]; statuses?: NeedStatus[]; requesterId?: string; kind?: Need["kind"] }) {
    const q: Record<string, unknown> = {};
    if (filter.centreCodes) q.centreCode = { $in: filter.centreCodes };
    if (filter.statuses?.length) q.status = { $in: filter.statuses };
    if (filter.requesterId) q.requesterId = filter.requesterId;
    if (filter.kind) q.kind = filter.kind;
    const docs = await this.models.Need.find(q).sort({ createdAt: -1, _id: 1 }).lean<NeedDoc[]>();
    return docs.map(needOf);
  }

  async edit(id: string, patch: { wanted: number; endDate: string; notes: string | null }): Promise<Need | null> {
    // The status follows the count: read the count, then update only if it is still that count (an acceptance in
    // between changes it, and the edit is tried again on the new one).
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.models.Need.findById(id).lean<NeedDoc>();
      if (!current || current.kind !== "centre" || !["open", "partly_filled", "filled"].includes(current.status))
        return null;
      if (current.filled > patch.wanted) return null;
      const status = current.filled >= patch.wanted ? "filled" : current.filled > 0 ? "partly_filled" : "open";
      const doc = await this.models.Need.findOneAndUpdate(
        { _id: id, status: current.status, filled: current.filled },
        { $set: { wanted: patch.wanted, endDate: patch.endDate, notes: patch.notes, status } },
        { returnDocument: "after" },
      ).lean<NeedDoc>();
      if (doc) return needOf(doc);
    }
    return null;
  }

  async transition(id: string, from: readonly NeedStatus[], to: NeedStatus, by?: string, reason?: string) {
    const $set: Record<string, unknown> = { status: to };
    if (by) $set.reviewedBy = by;
    if (reason) $set.rejectReason = reason;
    const r = await this.models.Need.updateOne({ _id: id, status: { $in: from } }, { $set });
    return r.modifiedCount > 0;
  }

  async expireEnded(today: string) {
    const q = { status: { $in: ACTIVE_NEED_STATUSES }, endDate: { $lt: today } };
    const docs = await this.models.Need.find(q).lean<NeedDoc[]>();
    const expired: Need[] = [];
    for (const d of docs) {
      const r = await this.models.Need.updateOne({ _id: d._id, ...q }, { $set: { status: "expired" } });
      if (r.modifiedCount > 0) expired.push({ ...needOf(d), status: "expired" });
    }
    return expired;
  }

  async candidates(q: CandidateQuery, limit: number, now: Date): Promise<ScoredCandidate[]> {
    if ((!q.role && q.skills.length === 0) || q.slotMask === 0) return [];
    const filter: Record<string, unknown> = {
      registeredAt: { $type: "date" },
      erasedAt: null,
      "notify.matches": true,
      province: q.province,
      county: q.reach === "county" ? q.county : { $type: "string" },
      identities: { $elemMatch: { reachable: true } },
      // A shared weekly slot: the stored slots against the query's (the same test as the mask's bits, on an array).
      "availability.slots": { $in: slotsOfMask(q.slotMask) },
      ...(q.role ? { roles: q.role } : { skills: { $in: q.skills } }),
    };
    const wanted = new Set(q.skills);
    const cursor = this.models.Person.find(filter, {
      county: 1,
      neighbourhood: 1,
      location: 1,
      slotMask: 1,
      matchStats: 1,
      roles: 1,
      skills: 1,
    })
      .lean<CandidateDoc[]>()
      .cursor({ batchSize: 1000 });
    // The ranking is fed from the cursor: only the best `limit` are kept, never every eligible person of a province.
    const top = new TopCandidates(q, limit, now.getTime());
    for await (const d of cursor as AsyncIterable<CandidateDoc>)
      top.offer({
        personId: String(d._id),
        county: d.county ?? "",
        neighbourhood: d.neighbourhood ? neighbourhoodKey(d.neighbourhood) : null,
        lat: d.location ? d.location.coordinates[1]! : null,
        lon: d.location ? d.location.coordinates[0]! : null,
        slotMask: d.slotMask ?? 0,
        lastOfferMs: d.matchStats?.lastOfferMs ?? null,
        recentOffers: d.matchStats?.recentOffers ?? 0,
        declineStreak: d.matchStats?.declineStreak ?? 0,
        hasRole: q.role !== null && d.roles.includes(q.role),
        skillsMatched: d.skills.filter((s) => wanted.has(s)).length,
      });
    return top.result();
  }

  /**
   * One wave in one transaction: the wave number, every offer and every
   * person's fairness counters land together or not at all. Offers are
   * upserted on the unique (need, person) key, so one asked before is matched,
   * not an error (an error would abort the transaction); the counters move
   * with `$inc`, never read and written back.
   */
  async createOffers(needId: string, candidates: ScoredCandidate[], now: Date, expiresAt: Date): Promise<Offer[]> {
    const nowMs = now.getTime();
    return this.conn.transaction(async (session) => {
      const need = await this.models.Need.findByIdAndUpdate(needId, { $inc: { waves: 1 } }, { returnDocument: "after" })
        .session(session)
        .lean<NeedDoc>();
      if (!need) return [];
      const created: Offer[] = [];
      for (const c of candidates) {
        const offer = {
          _id: randomUUID(),
          needId,
          personId: c.row.personId,
          status: "pending",
          wave: need.waves,
          score: c.score,
          reasons: c.reasons,
          institutionCode: null,
          decidedBy: null,
          rejectReason: null,
          expiresAt,
          answeredAt: null,
          createdAt: now,
        };
        const r = await this.models.Offer.updateOne(
          { needId, personId: c.row.personId },
          { $setOnInsert: offer },
          { upsert: true, timestamps: false },
        ).session(session);
        if (r.upsertedCount === 0) continue; // asked before for this need
        created.push(offerOf(offer as OfferDoc));
        // The count restarts when the last offer is older than the window (see `afterOffer`), else goes up by one.
        const restarted = await this.models.Person.updateOne(
          {
            _id: c.row.personId,
            $or: [
              { "matchStats.lastOfferMs": null },
              { "matchStats.lastOfferMs": { $lte: nowMs - RECENT_OFFERS_WINDOW_MS } },
            ],
          },
          { $set: { "matchStats.lastOfferMs": nowMs, "matchStats.recentOffers": 1 } },
        ).session(session);
        if (restarted.matchedCount === 0)
          await this.models.Person.updateOne(
            { _id: c.row.personId },
            { $inc: { "matchStats.recentOffers": 1 }, $set: { "matchStats.lastOfferMs": nowMs } },
          ).session(session);
      }
      return created;
    });
  }

  async getOffer(id: string) {
    const d = await this.models.Offer.findById(id).lean<OfferDoc>();
    return d ? offerOf(d) : null;
  }

  async offers(needId: string) {
    const docs = await this.models.Offer.find({ needId }).sort({ wave: 1, score: -1, _id: 1 }).lean<OfferDoc[]>();
    return docs.map(offerOf);
  }

  async askedFor(needId: string) {
    const docs = await this.models.Offer.find({ needId }, { personId: 1 }).lean<Pick<OfferDoc, "personId">[]>();
    return new Set(docs.map((d) => d.personId));
  }

  async answer(offerId: string, personId: string, answer: OfferAnswer, now: Date, institutionCode: string | null) {
    return this.conn.transaction(async (session): Promise<AnswerOutcome> => {
      const offerDoc = await this.models.Offer.findById(offerId).session(session).lean<OfferDoc>();
      if (!offerDoc || offerDoc.personId !== personId) throw new Error("offer not found for this person");
      const offer = offerOf(offerDoc);
      const open = (offer.status === "pending" || offer.status === "deferred") && offer.expiresAt > now;
      if (!open) return { type: "closed", offer };
      const need = needOf((await this.models.Need.findById(offer.needId).session(session).lean<NeedDoc>())!);
      if (answer === "accept" && (!ACTIVE_NEED_STATUSES.includes(need.status) || need.filled >= need.wanted))
        return { type: "full", offer, need };
      await this.models.Offer.updateOne(
        { _id: offerId },
        {
          $set: {
            status: answerStatus[answer],
            answeredAt: now,
            institutionCode: answer === "accept" ? institutionCode : null,
          },
        },
      ).session(session);
      if (answer === "decline")
        await this.models.Person.updateOne({ _id: personId }, { $inc: { "matchStats.declineStreak": 1 } }).session(
          session,
        );
      if (answer === "accept") {
        await this.models.Person.updateOne({ _id: personId }, { $set: { "matchStats.declineStreak": 0 } }).session(
          session,
        );
        await this.#refill(need.id, session);
      }
      const after = (await this.models.Offer.findById(offerId).session(session).lean<OfferDoc>())!;
      const needAfter = (await this.models.Need.findById(need.id).session(session).lean<NeedDoc>())!;
      return { type: "answered", offer: offerOf(after), need: needOf(needAfter) };
    });
  }

  async decide(offerId: string, approve: boolean, by: string, reason: string | null) {
    return this.conn.transaction(async (session) => {
      const r = await this.models.Offer.updateOne(
        { _id: offerId, status: "accepted" },
        { $set: { status: approve ? "approved" : "rejected", decidedBy: by, rejectReason: approve ? null : reason } },
      ).session(session);
      if (r.modifiedCount === 0) return null;
      const offer = offerOf((await this.models.Offer.findById(offerId).session(session).lean<OfferDoc>())!);
      if (!approve) await this.#refill(offer.needId, session);
      const need = needOf((await this.models.Need.findById(offer.needId).session(session).lean<NeedDoc>())!);
      return { offer, need };
    });
  }

  async release(offerId: string) {
    return this.conn.transaction(async (session) => {
      const r = await this.models.Offer.updateOne(
        { _id: offerId, status: "approved" },
        { $set: { status: "cancelled" } },
      ).session(session);
      if (r.modifiedCount === 0) return null;
      const offer = offerOf((await this.models.Offer.findById(offerId).session(session).lean<OfferDoc>())!);
      await this.#refill(offer.needId, session);
      const need = needOf((await this.models.Need.findById(offer.needId).session(session).lean<NeedDoc>())!);
      return { offer, need };
    });
  }

  async awaitingDecision(institutionCodes: string[]) {
    if (institutionCodes.length === 0) return [];
    const docs = await this.models.Offer.find({ status: "accepted", institutionCode: { $in: institutionCodes } })
      .sort({ answeredAt: 1 })
      .lean<OfferDoc[]>();
    return docs.map(offerOf);
  }

  async expireOffers(now: Date) {
    return this.#moveOpen({ expiresAt: { $lte: now } }, "expired");
  }

  async withdrawOpen(needId: string) {
    return this.#moveOpen({ needId }, "withdrawn");
  }

  async approvedOf(personId: string) {
    const docs = await this.models.Offer.find({ personId, status: "approved" })
      .sort({ createdAt: -1 })
      .lean<OfferDoc[]>();
    return docs.map(offerOf);
  }

  /** Moves open offers matching `q` to `status`, one guarded update each, and returns those it moved. */
  async #moveOpen(q: Record<string, unknown>, status: OfferStatus): Promise<Offer[]> {
    const open = { ...q, status: { $in: ["pending", "deferred"] } };
    const docs = await this.models.Offer.find(open).lean<OfferDoc[]>();
    const moved: Offer[] = [];
    for (const d of docs) {
      const r = await this.models.Offer.updateOne({ _id: d._id, ...open }, { $set: { status } });
      if (r.modifiedCount > 0) moved.push({ ...offerOf(d), status });
    }
    return moved;
  }

  async #refill(needId: string, session: import("mongoose").ClientSession): Promise<void> {
    const n = await this.models.Offer.countDocuments({ needId, status: { $in: FILLING_OFFER_STATUSES } }).session(
      session,
    );
    const need = needOf((await this.models.Need.findById(needId).session(session).lean<NeedDoc>())!);
    const status = refilledStatus(need.status, need.wanted, n);
    await this.models.Need.updateOne({ _id: needId }, { $set: { filled: n, status } }).session(session);
  }

  async reportHours(r: Pick<HourReport, "offerId" | "minutes" | "date">): Promise<HourReport> {
    const report: HourReport = { id: randomUUID(), ...r, status: "pending", reportedAt: new Date() };
    await this.models.HourReport.updateMany(
      { offerId: r.offerId, date: r.date, status: "pending" },
      { $set: { status: "superseded" } },
    );
    const { id, ...rest } = report;
    await this.models.HourReport.create({ _id: id, ...rest });
    return report;
  }

  async getHourReport(id: string): Promise<HourReport | null> {
    const d = await this.models.HourReport.findById(id).lean<HourReportDoc>();
    return d
      ? {
          id: String(d._id),
          offerId: d.offerId,
          minutes: d.minutes,
          date: d.date,
          status: d.status as HourReport["status"],
          reportedAt: new Date(d.reportedAt),
        }
      : null;
  }

  async confirmHourReport(id: string): Promise<boolean> {
    const r = await this.models.HourReport.updateOne(
      { _id: id, status: "pending" },
      { $set: { status: "confirmed", settledAt: new Date() } },
    );
    return r.modifiedCount > 0;
  }
}
