import mongoose, { type mongo } from "mongoose";
import type { PiiCipher } from "../../security/pii.js";
import type { Store } from "../port.js";
import { registerModels } from "./models.js";
import { MongoCampaignRepository } from "./campaigns.js";
import { MongoDeliveryRepository } from "./deliveries.js";
import { MongoPeopleRepository } from "./people.js";
import { MongoAccessRepository } from "./access.js";
import { MongoCentreRepository } from "./centres.js";
import { MongoLedgerRepository } from "./ledger.js";
import { MongoNeedRepository } from "./needs.js";
import { MongoReportRepository } from "./reports.js";

export interface MongoStoreOptions {
  uri: string;
  /** Overrides the database named in the URI (tests use one per run). */
  dbName?: string;
  /** Sees every command the driver sends (command monitoring): the command-shape tests and verify:mongo. */
  onCommand?: (event: mongo.CommandStartedEvent) => void;
}

/** The production store: MongoDB through Mongoose, indexes built at open. */
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
  await Promise.all(Object.values(models).map((m) => (m as (typeof models)["Person"]).createIndexes()));
  return {
    kind: "mongo",
    people: new MongoPeopleRepository(conn, models, cipher),
    deliveries: new MongoDeliveryRepository(models, cipher),
    campaigns: new MongoCampaignRepository(models),
    centres: new MongoCentreRepository(models),
    needs: new MongoNeedRepository(conn, models),
    ledger: new MongoLedgerRepository(models),
    access: new MongoAccessRepository(models),
    reports: new MongoReportRepository(models),
    async ping() {
      if (!conn.db) throw new Error("MongoDB connection is not open");
      await conn.db.admin().ping();
    },
    async close() {
      await conn.close();
    },
  };
}
