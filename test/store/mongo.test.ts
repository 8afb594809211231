import { randomUUID } from "node:crypto";
import { describe } from "vitest";
import { openMongoStore } from "../../src/store/mongo/index.js";
import { storeContract, TEST_CIPHER } from "./contract.js";
import { timebankContract } from "./contract-timebank.js";

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.log("MongoDB contract run skipped: MONGODB_URI is not set (no mongod can run on this machine).");
}

describe.skipIf(!uri)(`store contract: MongoDB${uri ? "" : " (skipped: MONGODB_URI not set)"}`, () => {
  const open = async () =>
    openMongoStore({ uri: uri!, dbName: `hamdel_test_${randomUUID().slice(0, 8)}` }, TEST_CIPHER);
  storeContract(open);
  timebankContract(open);
});
