import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore, SQLITE_FILE } from "../../src/store/sqlite/index.js";
import { TEST_CIPHER } from "../store/contract/index.js";
import { tempDir } from "../support/config.js";
import { erasureContract, type ErasureTarget } from "./erasure-contract.js";
import { privacyStoreContract } from "./store-contract.js";

/**
 * Every table of the embedded store. A new table fails this list until it is
 * added here, and so until someone has decided what erasure does with it.
 */
const SQLITE_TABLES = [
  "audit_log",
  "broadcast_responses",
  "broadcasts",
  "campaign_runs",
  "campaigns",
  "centre_actions",
  "centres",
  "certificates",
  "deliveries",
  "grants",
  "hour_reports",
  "identities",
  "institutions",
  "invites",
  "ledger_entries",
  "ledger_postings",
  "match_index",
  "match_stats",
  "needs",
  "offers",
  // One-time links' nonces and expiry: nothing of a person.
  "one_time_claims",
  "people",
  "person_roles",
  "person_skills",
  "pledges",
  "schema_migrations",
  "screening_checks",
  "service_sessions",
  "sqlite_sequence",
];

async function sqliteTarget(): Promise<ErasureTarget> {
  const dir = tempDir();
  const store = openSqliteStore(dir, TEST_CIPHER);
  return {
    store,
    async dump() {
      // A second connection, as anyone reading the file would: what the erase committed is all there is.
      const db = new Database(join(dir, SQLITE_FILE), { readonly: true });
      try {
        const tables = (
          db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
        ).map((r) => r.name);
        expect(tables).toEqual(SQLITE_TABLES);
        return Object.fromEntries(
          tables.map((name) => [name, JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())]),
        );
      } finally {
        db.close();
      }
    },
    close: () => store.close(),
  };
}

describe("erasure: SQLite", () => {
  erasureContract(sqliteTarget);

  it("leaves no readable copy in the file's free pages or the write-ahead log", async () => {
    const dir = tempDir();
    const store = openSqliteStore(dir, TEST_CIPHER);
    const { person } = await store.people.ensure({ platform: "telegram", userId: "1", chatId: "1" });
    const marker = "FREEPAGEMARKER".repeat(20);
    await store.people.update(person.id, { firstName: marker, neighbourhood: marker });
    await store.people.erase(person.id);
    const { readFileSync, existsSync } = await import("node:fs");
    const file = join(dir, SQLITE_FILE);
    for (const f of [file, `${file}-wal`])
      if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from("FREEPAGEMARKER"))).toBe(false);
    await store.close();
  });
});

describe("privacy store contract: SQLite", () => privacyStoreContract(sqliteTarget));
