import mongoose from "mongoose";
import { openMongoStore } from "../../src/store/mongo/index.js";
import { registerModels } from "../../src/store/mongo/models.js";
import { TEST_CIPHER } from "../store/contract/index.js";
import { buildIndexesIn, describeMongo, freshDbName } from "../support/mongo-lane.js";
import { erasureContract, type ErasureTarget } from "./erasure-contract.js";
import { privacyStoreContract } from "./store-contract.js";

async function mongoTarget(uri: string): Promise<ErasureTarget> {
  const dbName = freshDbName("hamdel_erasure");
  await buildIndexesIn(uri, dbName);
  const store = await openMongoStore({ uri, dbName }, TEST_CIPHER);
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  const models = registerModels(conn);
  /** Every collection: as the server lists them, or (an emulator without listCollections) every model's. */
  const names = async () => {
    const fromModels = Object.values(models).map(
      (m) => (m as { collection: { collectionName: string } }).collection.collectionName,
    );
    try {
      const listed = (await conn.db!.listCollections().toArray()).map((c) => c.name);
      return [...new Set([...listed, ...fromModels])].sort();
    } catch {
      return fromModels.sort();
    }
  };
  return {
    store,
    async dump() {
      const out: Record<string, string> = {};
      for (const name of await names()) out[name] = JSON.stringify(await conn.db!.collection(name).find().toArray());
      return out;
    },
    async close() {
      for (const name of await names()) await conn.db!.collection(name).deleteMany({});
      await conn.close();
      await store.close();
    },
  };
}

describeMongo("erasure and privacy store contract", ({ uri }) => {
  erasureContract(() => mongoTarget(uri));
  privacyStoreContract(() => mongoTarget(uri));
});
