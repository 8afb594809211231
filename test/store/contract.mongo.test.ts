import { randomUUID } from "node:crypto";
import { openMongoStore } from "../../src/store/mongo/index.js";
import { describeMongo, mongoLane } from "../support/mongo-lane.js";
import { storeContract, TEST_CIPHER } from "./contract.js";
import { timebankContract } from "./contract-timebank.js";

if (!mongoLane()) {
  console.log("MongoDB contract run skipped: MONGODB_URI is not set (no mongod can run on this machine).");
}

describeMongo("store contract", ({ uri }) => {
  const open = async () => openMongoStore({ uri, dbName: `hamdel_test_${randomUUID().slice(0, 8)}` }, TEST_CIPHER);
  storeContract(open);
  timebankContract(open);
});
