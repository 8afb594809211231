import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { PiiCipher } from "../../security/pii.js";
import type { Store } from "../port.js";
import { migrate } from "./migrations.js";
import { SqliteCampaignRepository } from "./campaigns.js";
import { SqliteDeliveryRepository } from "./deliveries.js";
import { SqlitePeopleRepository } from "./people.js";

export const SQLITE_FILE = "hamdel.sqlite";

/**
 * The embedded store: one SQLite file in `DATA_DIR`, WAL journal so readers
 * never block the writer, and `synchronous=NORMAL`, which under WAL loses no
 * committed transaction on a process crash (only on power loss).
 */
export function openSqliteStore(dataDir: string, cipher: PiiCipher): Store {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, SQLITE_FILE));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return {
    kind: "sqlite",
    people: new SqlitePeopleRepository(db, cipher),
    deliveries: new SqliteDeliveryRepository(db),
    campaigns: new SqliteCampaignRepository(db),
    async ping() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
