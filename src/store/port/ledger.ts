import type { Account, Posting } from "../../domain/ledger.js";

/** The time-bank ledger. */

export interface LedgerEntry {
  id: string;
  /** Idempotency key: posting the same key twice records one entry. */
  key: string;
  kind: "service" | "correction";
  offerId: string | null;
  /** For a correction: the entry it reverses. */
  reverses: string | null;
  memo: string | null;
  postings: Posting[];
  by: string;
  at: Date;
}

export interface LedgerRepository {
  /** Records a balanced entry; with a key already used, returns the first entry and `created: false`. */
  post(entry: Omit<LedgerEntry, "id" | "at">, at?: Date): Promise<{ entry: LedgerEntry; created: boolean }>;
  get(id: string): Promise<LedgerEntry | null>;
  /** Minutes: credits minus debits (of entries recorded in [from, to), when given). */
  balance(account: Account, between?: { from: Date; to: Date }): Promise<number>;
  /** Minutes credited to the account (hours given), ignoring debits. */
  given(account: Account): Promise<number>;
  /** The account's entries, newest first. */
  history(account: Account, limit: number): Promise<LedgerEntry[]>;
  /** Sum of every posting in the ledger: zero, always. */
  total(): Promise<number>;
}
