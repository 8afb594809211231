import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import { isBalanced, type Account, type Posting } from "../../domain/ledger.js";
import type { LedgerEntry, LedgerRepository } from "../port/index.js";

interface EntryRow {
  id: string;
  key: string;
  kind: string;
  offer_id: string | null;
  reverses: string | null;
  memo: string | null;
  by: string;
  at: string;
}

export class SqliteLedgerRepository implements LedgerRepository {
  constructor(private readonly db: Database) {}

  async post(e: Omit<LedgerEntry, "id" | "at">, at = new Date()) {
    if (!isBalanced(e.postings)) throw new RangeError("an entry's postings must sum to zero");
    return this.db
      .transaction(() => {
        const existing = this.db.prepare("SELECT id FROM ledger_entries WHERE key = ?").get(e.key) as
          { id: string } | undefined;
        if (existing) return { entry: this.#entry(existing.id)!, created: false };
        const id = randomUUID();
        this.db
          .prepare(
            "INSERT INTO ledger_entries (id, key, kind, offer_id, reverses, memo, by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          )
          .run(id, e.key, e.kind, e.offerId, e.reverses, e.memo, e.by, at.toISOString());
        const insert = this.db.prepare(
          "INSERT INTO ledger_postings (entry_id, account, minutes, side) VALUES (?, ?, ?, ?)",
        );
        for (const p of e.postings) insert.run(id, p.account, p.minutes, p.side);
        return { entry: this.#entry(id)!, created: true };
      })
      .immediate();
  }

  async get(id: string) {
    return this.#entry(id);
  }

  async balance(account: Account, between?: { from: Date; to: Date }) {
    if (!between)
      return this.#sum("SELECT COALESCE(SUM(minutes), 0) AS n FROM ledger_postings WHERE account = ?", account);
    return this.#sum(
      `SELECT COALESCE(SUM(p.minutes), 0) AS n FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id
       WHERE p.account = ? AND e.at >= ? AND e.at < ?`,
      account,
      between.from.toISOString(),
      between.to.toISOString(),
    );
  }

  async given(account: Account) {
    return this.#sum(
      "SELECT COALESCE(SUM(minutes), 0) AS n FROM ledger_postings WHERE account = ? AND side = 'giver'",
      account,
    );
  }

  async history(account: Account, limit: number) {
    const rows = this.db
      .prepare(
        `SELECT e.id FROM ledger_entries e JOIN ledger_postings p ON p.entry_id = e.id
         WHERE p.account = ? ORDER BY e.at DESC, e.id LIMIT ?`,
      )
      .all(account, limit) as { id: string }[];
    return rows.map((r) => this.#entry(r.id)!);
  }

  async total() {
    return this.#sum("SELECT COALESCE(SUM(minutes), 0) AS n FROM ledger_postings");
  }

  #sum(sql: string, ...args: unknown[]): number {
    return (this.db.prepare(sql).get(...args) as { n: number }).n;
  }

  #entry(id: string): LedgerEntry | null {
    const row = this.db.prepare("SELECT * FROM ledger_entries WHERE id = ?").get(id) as EntryRow | undefined;
    if (!row) return null;
    const postings = this.db
      .prepare("SELECT account, minutes, side FROM ledger_postings WHERE entry_id = ? ORDER BY side, account")
      .all(id) as Posting[];
    return {
      id: row.id,
      key: row.key,
      kind: row.kind as LedgerEntry["kind"],
      offerId: row.offer_id,
      reverses: row.reverses,
      memo: row.memo,
      postings,
      by: row.by,
      at: new Date(row.at),
    };
  }
}
