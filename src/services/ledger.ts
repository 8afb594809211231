import { hoursOf, isBalanced, personAccount, type Posting } from "../domain/ledger.js";
import type { LedgerEntry, Store } from "../store/port/index.js";

/**
 * Corrections: the ledger is never edited. A correction is a new entry that
 * moves the difference between what was recorded and what is right (to zero
 * minutes: the whole entry is reversed). One correction per entry (its key);
 * to correct again, correct the correction.
 */
export async function correctEntry(
  store: Store,
  entryId: string,
  minutes: number,
  reason: string,
  by: string,
): Promise<{ ok: true; entry: LedgerEntry; created: boolean } | { ok: false; error: string }> {
  const original = await store.ledger.get(entryId);
  if (!original) return { ok: false, error: `no ledger entry ${entryId}` };
  if (!Number.isInteger(minutes) || minutes < 0) return { ok: false, error: "minutes must be a whole number ≥ 0" };
  if (!reason.trim()) return { ok: false, error: "a correction needs a reason" };
  const giver = original.postings.find((p) => p.side === "giver");
  if (!giver) return { ok: false, error: "the entry credits nobody" };
  const delta = minutes - giver.minutes;
  if (delta === 0) return { ok: false, error: "the entry already records that many minutes" };
  // Each posting scales with the giver's: the entry stays balanced.
  const postings: Posting[] = original.postings.map((p) => ({ ...p, minutes: (p.minutes / giver.minutes) * delta }));
  if (!isBalanced(postings) || postings.some((p) => !Number.isInteger(p.minutes)))
    return { ok: false, error: "the entry cannot be corrected by that amount" };
  const { entry, created } = await store.ledger.post({
    key: `correction:${entryId}`,
    kind: "correction",
    offerId: original.offerId,
    reverses: entryId,
    memo: reason.trim().slice(0, 500),
    postings,
    by,
  });
  await store.access.audit({
    actor: by,
    action: "ledger.correct",
    scope: "*",
    target: entryId,
    outcome: created ? "ok" : "refused",
    details: { minutes, delta },
  });
  return { ok: true, entry, created };
}

/** A person's ledger lines for operators: date, signed hours, kind, entry id. */
export async function statement(store: Store, personId: string, limit = 50) {
  const account = personAccount(personId);
  const [balance, given, entries] = await Promise.all([
    store.ledger.balance(account),
    store.ledger.given(account),
    store.ledger.history(account, limit),
  ]);
  return {
    balanceHours: hoursOf(balance),
    givenHours: hoursOf(given),
    lines: entries.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      hours: hoursOf(e.postings.find((p) => p.account === account)!.minutes),
      memo: e.memo,
    })),
  };
}
