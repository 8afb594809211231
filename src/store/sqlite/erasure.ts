import type { Database } from "better-sqlite3";
import type { ErasedPerson } from "../port/index.js";

/**
 * Everything of an erased person outside their `people` row, in the caller's
 * transaction (see `PeopleRepository.erase` for what goes and what stays).
 * Accounts are matched through `json_each`, so a person with none is fine.
 */
export function eraseEverywhere(db: Database, personId: string, p: ErasedPerson, now: string): void {
  const accounts = JSON.stringify(p.actorIds);
  // Deliveries are addressed to the person, or (a push to an account without a person) to `platform:userId`.
  const recipients = JSON.stringify([personId, ...p.actorIds]);
  const ACCOUNTS = "(SELECT value FROM json_each(?))";
  const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);

  // The outbox: one-to-one pushes to them go (texts, answers and records); nothing else pending is sent; no record
  // keeps their chat.
  // Pushes about them (an introduction sent to a centre) go whole, whoever they were for.
  const about = db
    .prepare(
      `SELECT id FROM broadcasts WHERE personal = 1 AND about IS NOT NULL
       AND EXISTS (SELECT 1 FROM json_each(broadcasts.about) WHERE value = ?)`,
    )
    .all(personId) as { id: string }[];
  const aboutIds = JSON.stringify(about.map((b) => b.id));
  run(`DELETE FROM deliveries WHERE broadcast_id IN ${ACCOUNTS}`, aboutIds);
  const personal = db
    .prepare(
      `SELECT DISTINCT d.broadcast_id AS id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
       WHERE b.personal = 1 AND d.person_id IN ${ACCOUNTS}`,
    )
    .all(recipients) as { id: string }[];
  const ids = JSON.stringify([...personal, ...about].map((b) => b.id));
  run(`DELETE FROM deliveries WHERE person_id IN ${ACCOUNTS} AND broadcast_id IN ${ACCOUNTS}`, recipients, ids);
  run(
    `DELETE FROM broadcast_responses WHERE broadcast_id IN ${ACCOUNTS}
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.broadcast_id = broadcast_responses.broadcast_id)`,
    ids,
  );
  run(
    `DELETE FROM broadcasts WHERE id IN ${ACCOUNTS}
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.broadcast_id = broadcasts.id)`,
    ids,
  );
  run(
    `UPDATE deliveries SET status = 'cancelled', settled_at = ?, lease_owner = NULL, lease_until = NULL
     WHERE person_id IN ${ACCOUNTS} AND status = 'pending'`,
    now,
    recipients,
  );
  run(`UPDATE deliveries SET chat_id = '', error = NULL WHERE person_id IN ${ACCOUNTS}`, recipients);

  // What they said: vows, «I'm in» answers, the notes of needs they wrote, the memos of ledger entries about them.
  run("DELETE FROM pledges WHERE person_id = ?", personId);
  run("DELETE FROM broadcast_responses WHERE person_id = ?", personId);
  run("DELETE FROM match_stats WHERE person_id = ?", personId);
  run(`UPDATE needs SET notes = NULL WHERE requester_id = ? OR created_by IN ${ACCOUNTS}`, personId, accounts);
  run(
    "UPDATE ledger_entries SET memo = NULL WHERE id IN (SELECT entry_id FROM ledger_postings WHERE account = ?)",
    `person:${personId}`,
  );

  // Their certificates (a name printed) go; their sessions ahead are cancelled, and corrections' words about them go.
  run("DELETE FROM certificates WHERE person_id = ?", personId);
  // Their safeguarding checks: the documents (sealed files) and every record of them.
  run("DELETE FROM screening_checks WHERE person_id = ?", personId);
  run(
    "UPDATE service_sessions SET status = 'cancelled', cancelled_at = ? WHERE person_id = ? AND status IN ('scheduled', 'confirmed', 'unconfirmed')",
    new Date().toISOString(),
    personId,
  );
  run("UPDATE service_sessions SET correction_reason = NULL WHERE person_id = ?", personId);

  // Their roles and the invitations they could still hand out.
  run(`DELETE FROM grants WHERE platform || ':' || user_id IN ${ACCOUNTS}`, accounts);
  run(`DELETE FROM invites WHERE used_by IS NULL AND created_by IN ${ACCOUNTS}`, accounts);

  // Who did what keeps its rows, under the pseudonym.
  const rename: [table: string, column: string][] = [
    ["audit_log", "actor"],
    ["audit_log", "target"],
    ["grants", "granted_by"],
    ["invites", "created_by"],
    ["invites", "used_by"],
    ["needs", "created_by"],
    ["needs", "reviewed_by"],
    ["offers", "decided_by"],
    ["service_sessions", "check_in_by"],
    ["service_sessions", "corrected_by"],
    ["service_sessions", "credited_by"],
    ["ledger_entries", "by"],
    ["centre_actions", "reported_by"],
    ["campaigns", "created_by"],
    ["broadcasts", "created_by"],
  ];
  for (const [table, column] of rename)
    run(`UPDATE ${table} SET ${column} = ? WHERE ${column} IN ${ACCOUNTS}`, p.pseudonym, accounts);
  for (const account of p.actorIds)
    run(
      "UPDATE audit_log SET details = replace(details, ?, ?) WHERE instr(details, ?) > 0",
      JSON.stringify(account),
      JSON.stringify(p.pseudonym),
      JSON.stringify(account),
    );
}
