import { describeMongo, mongoLane, openEmptiedStore } from "../support/mongo-lane.js";
import { storeContract } from "./contract/index.js";

if (!mongoLane()) {
  console.log("MongoDB contract run skipped: MONGODB_URI is not set (no mongod can run on this machine).");
}

describeMongo("store contract", ({ uri }) => {
  // Indexes built once for the file, the collections emptied for each test: the contract's "an empty store".
  const open = () => openEmptiedStore(uri, "hamdel_test");
  storeContract(open);
});
