import { hoursOf, isBalanced, personAccount, type Posting } from "../domain/ledger.js";
import { fail, ok, type Result } from "../domain/result.js";
import { meaningfulReason } from "../domain/sessions.js";
import type { LedgerEntry, Store } from "../store/port/index.js";

/** Why a correction was refused: no such entry, minutes not a whole number ≥ 0, no reason, an entry crediting
 * nobody, the same minutes as recorded, or an amount the entry's postings cannot be scaled to. */
export type CorrectionRefusal = "no_entry" | "bad_minutes" | "no_reason" | "no_giver" | "unchanged" | "not_divisible";

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
): Promise<Result<{ entry: LedgerEntry; created: boolean }, CorrectionRefusal>> {
  const original = await store.ledger.get(entryId);
  if (!original) return fail("no_entry");
  if (!Number.isInteger(minutes) || minutes < 0) return fail("bad_minutes");
  if (!meaningfulReason(reason)) return fail("no_reason");
  const giver = original.postings.find((p) => p.side === "giver");
  if (!giver) return fail("no_giver");
  const delta = minutes - giver.minutes;
  if (delta === 0) return fail("unchanged");
  // Each posting scales with the giver's: the entry stays balanced.
  const postings: Posting[] = original.postings.map((p) => ({ ...p, minutes: (p.minutes / giver.minutes) * delta }));
  if (!isBalanced(postings) || postings.some((p) => !Number.isInteger(p.minutes))) return fail("not_divisible");
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
  return ok({ entry, created });
}

/**
 * A person's ledger, newest first (the chat's `/hours`, the CLI's statement):
 * the balance and hours given, and each line's date, signed minutes and hours,
 * kind, entry id, and the centre on the other side of a service.
 */
export async function statement(store: Store, personId: string, limit = 50) {
  const account = personAccount(personId);
  const [balance, given, entries] = await Promise.all([
    store.ledger.balance(account),
    store.ledger.given(account),
    store.ledger.history(account, limit),
  ]);
  const centreOf = (e: (typeof entries)[number]) =>
    e.postings.find((p) => p.account !== account && p.account.startsWith("centre:"))?.account.slice(7);
  const codes = [...new Set(entries.flatMap((e) => centreOf(e) ?? []))];
  const names = new Map((codes.length ? await store.centres.listCentres({ codes }) : []).map((c) => [c.code, c.name]));
  return {
    balanceMinutes: balance,
    givenMinutes: given,
    balanceHours: hoursOf(balance),
    givenHours: hoursOf(given),
    lines: entries.map((e) => {
      const minutes = e.postings.find((p) => p.account === account)!.minutes;
      const code = centreOf(e);
      return {
        id: e.id,
        at: e.at,
        kind: e.kind,
        minutes,
        hours: hoursOf(minutes),
        memo: e.memo,
        centre: code ? (names.get(code) ?? null) : null,
      };
    }),
  };
}
