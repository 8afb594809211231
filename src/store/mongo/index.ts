import { MongoScreeningRepository } from "./screening.js";
import mongoose, { type mongo } from "mongoose";
import { countingPeople } from "../people-writes.js";
import { guardStore } from "../guard.js";
import { isMongoUnavailable } from "./unavailable.js";
import type { PiiCipher } from "../../security/pii.js";
import type { Store } from "../port/index.js";
import { missingIndexes, requireReplicaSet, type IndexState } from "./indexes.js";
import { registerModels } from "./models.js";
import { MongoCampaignRepository } from "./campaigns.js";
import { MongoDeliveryRepository } from "./deliveries.js";
import { MongoPeopleRepository } from "./people.js";
import { MongoAccessRepository } from "./access.js";
import { MongoCentreRepository } from "./centres.js";
import { MongoLedgerRepository } from "./ledger.js";
import { MongoNeedRepository } from "./needs.js";
import { MongoReportRepository } from "./reports.js";
import { MongoCertificateRepository, MongoSessionRepository } from "./sessions.js";

export interface MongoStoreOptions {
  uri: string;
  /** Overrides the database named in the URI (tests use one per run). */
  dbName?: string;
  /** Told of declared indexes the database lacks (run `hamdel db indexes`). */
  warn?: (message: string, missing: IndexState[]) => void;
  /** Sees every command the driver sends (command monitoring): the command-shape tests and verify:mongo. */
  onCommand?: (event: mongo.CommandStartedEvent) => void;
}

/**
 * The production store: MongoDB through Mongoose. Refuses a standalone server
 * (transactions need a replica set) and checks, without building them, that
 * the indexes exist: building them is `hamdel db indexes`.
 */
export async function openMongoStore(options: MongoStoreOptions, cipher: PiiCipher): Promise<Store> {
  const conn = mongoose.createConnection(options.uri, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: 5000,
    autoIndex: false,
    ...(options.onCommand ? { monitorCommands: true } : {}),
  });
  if (options.onCommand) conn.getClient().on("commandStarted", options.onCommand);
  await conn.asPromise();
  const models = registerModels(conn);
  try {
    await requireReplicaSet(conn);
    const missing = await missingIndexes(models);
    if (missing.length > 0)
      options.warn?.(
        `MongoDB lacks ${missing.length} of the indexes Hamdel relies on: run "hamdel db indexes" (npm run cli -- db indexes)`,
        missing,
      );
  } catch (e) {
    await conn.close();
    throw e;
  }
  const people = countingPeople(new MongoPeopleRepository(conn, models, cipher));
  return guardStore(
    {
      kind: "mongo",
      people: people.people,
      peopleWrites: people.writes,
      deliveries: new MongoDeliveryRepository(models, cipher),
      campaigns: new MongoCampaignRepository(models),
      centres: new MongoCentreRepository(models),
      needs: new MongoNeedRepository(conn, models),
      ledger: new MongoLedgerRepository(models),
      access: new MongoAccessRepository(models),
      reports: new MongoReportRepository(models),
      sessions: new MongoSessionRepository(models),
      certificates: new MongoCertificateRepository(models),
      screening: new MongoScreeningRepository(models, cipher),
      async ping() {
        if (!conn.db) throw new Error("MongoDB connection is not open");
        await conn.db.admin().ping();
      },
      async close() {
        await conn.close();
      },
    },
    isMongoUnavailable,
  );
}
