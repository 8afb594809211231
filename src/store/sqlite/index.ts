import { join } from "node:path";
import Database from "better-sqlite3";
import { privateDatabaseFiles, privateDir, privateFile } from "../../security/files.js";
import { countingPeople } from "../people-writes.js";
import { guardStore } from "../guard.js";
import { isSqliteUnavailable } from "./unavailable.js";
import type { PiiCipher } from "../../security/pii.js";
import type { Store } from "../port/index.js";
import { migrate } from "./migrations.js";
import { SqliteCampaignRepository } from "./campaigns.js";
import { SqliteDeliveryRepository } from "./deliveries.js";
import { SqlitePeopleRepository } from "./people.js";
import { SqliteAccessRepository } from "./access.js";
import { SqliteCentreRepository } from "./centres.js";
import { SqliteLedgerRepository } from "./ledger.js";
import { MatchIndex } from "./match-index.js";
import { SqliteNeedRepository } from "./needs.js";
import { SqliteReportRepository } from "./reports.js";
import { SqliteCertificateRepository, SqliteSessionRepository } from "./sessions.js";
import { SqliteScreeningRepository } from "./screening.js";

/** The migration that created the candidate index: applying it means building the index from people. */
const MATCH_INDEX_MIGRATION = 7;

export const SQLITE_FILE = "hamdel.sqlite";

/**
 * The embedded store: one SQLite file in `DATA_DIR`, WAL journal so readers
 * never block the writer, and `synchronous=NORMAL`, which under WAL loses no
 * committed transaction on a process crash (only on power loss).
 */
export function openSqliteStore(dataDir: string, cipher: PiiCipher): Store {
  privateDir(dataDir);
  const file = join(dataDir, SQLITE_FILE);
  privateFile(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // An erased person's rows are overwritten with zeros, not left readable in free pages.
  db.pragma("secure_delete = ON");
  privateDatabaseFiles(file);
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  cachePreparedStatements(db);
  const applied = migrate(db);
  const matchIndex = new MatchIndex(db);
  if (applied.includes(MATCH_INDEX_MIGRATION)) matchIndex.rebuild();
  const people = countingPeople(new SqlitePeopleRepository(db, cipher, matchIndex));
  return guardStore(
    {
      kind: "sqlite",
      people: people.people,
      peopleWrites: people.writes,
      deliveries: new SqliteDeliveryRepository(db, cipher),
      campaigns: new SqliteCampaignRepository(db),
      centres: new SqliteCentreRepository(db),
      needs: new SqliteNeedRepository(db, matchIndex.cache),
      ledger: new SqliteLedgerRepository(db),
      access: new SqliteAccessRepository(db),
      reports: new SqliteReportRepository(db),
      sessions: new SqliteSessionRepository(db),
      certificates: new SqliteCertificateRepository(db),
      screening: new SqliteScreeningRepository(db, cipher),
      async ping() {
        db.prepare("SELECT 1").get();
      },
      async close() {
        if (db.open) db.close();
      },
    },
    isSqliteUnavailable,
  );
}

/**
 * Makes `db.prepare` return the same compiled statement for the same SQL:
 * the repositories prepare their queries where they use them (readable), and
 * compiling SQL on every call was the largest single cost per update under
 * load (`npm run bench:load`). A statement whose mode is changed (`raw()`,
 * `pluck()`) keeps that mode, so such SQL must be used in one mode only.
 */
function cachePreparedStatements(db: Database.Database): void {
  const compile = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = compile(sql)));
    return statement;
  }) as typeof db.prepare;
}
