import { randomUUID } from "node:crypto";
import { isBalanced, type Account, type Posting } from "../../domain/ledger.js";
import type { LedgerEntry, LedgerRepository } from "../port/index.js";
import type { LedgerEntryDoc, Models } from "./models.js";
import { isDuplicateKey } from "./errors.js";

const entryOf = (d: LedgerEntryDoc): LedgerEntry => ({
  id: String(d._id),
  key: d.key,
  kind: d.kind as LedgerEntry["kind"],
  offerId: d.offerId ?? null,
  reverses: d.reverses ?? null,
  memo: d.memo ?? null,
  postings: d.postings
    .map((p) => ({ account: p.account as Account, minutes: p.minutes!, side: p.side as Posting["side"] }))
    .sort((a, b) => a.side.localeCompare(b.side) || a.account.localeCompare(b.account)),
  by: d.by,
  at: new Date(d.at),
});

/** The ledger on MongoDB: an entry and its postings are one document, so writing it is atomic. */
export class MongoLedgerRepository implements LedgerRepository {
  constructor(private readonly models: Models) {}

  async post(e: Omit<LedgerEntry, "id" | "at">, at = new Date()) {
    if (!isBalanced(e.postings)) throw new RangeError("an entry's postings must sum to zero");
    try {
      const doc = await this.models.LedgerEntry.create({
        _id: randomUUID(),
        ...e,
        accounts: e.postings.map((p) => p.account),
        at,
      });
      return { entry: entryOf(doc.toObject() as LedgerEntryDoc), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const first = await this.models.LedgerEntry.findOne({ key: e.key }).lean<LedgerEntryDoc>();
      return { entry: entryOf(first!), created: false };
    }
  }

  async get(id: string) {
    const d = await this.models.LedgerEntry.findById(id).lean<LedgerEntryDoc>();
    return d ? entryOf(d) : null;
  }

  async balance(account: Account, between?: { from: Date; to: Date }) {
    return this.#sum(account, {}, between ? { at: { $gte: between.from, $lt: between.to } } : {});
  }

  async given(account: Account) {
    return this.#sum(account, { "postings.side": "giver" });
  }

  async history(account: Account, limit: number) {
    const docs = await this.models.LedgerEntry.find({ accounts: account })
      .sort({ at: -1, _id: 1 })
      .limit(limit)
      .lean<LedgerEntryDoc[]>();
    return docs.map(entryOf);
  }

  async total() {
    const [r] = await this.models.LedgerEntry.aggregate<{ n: number }>([
      { $unwind: "$postings" },
      { $group: { _id: null, n: { $sum: "$postings.minutes" } } },
    ]);
    return r?.n ?? 0;
  }

  async #sum(account: Account, extra: Record<string, unknown>, entries: Record<string, unknown> = {}): Promise<number> {
    const [r] = await this.models.LedgerEntry.aggregate<{ n: number }>([
      { $match: { accounts: account, ...entries } },
      { $unwind: "$postings" },
      { $match: { "postings.account": account, ...extra } },
      { $group: { _id: null, n: { $sum: "$postings.minutes" } } },
    ]);
    return r?.n ?? 0;
  }
}
