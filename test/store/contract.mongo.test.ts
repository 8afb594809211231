import { describeMongo, mongoLane, openIndexedStore } from "../support/mongo-lane.js";
import { storeContract } from "./contract/index.js";

if (!mongoLane()) {
  console.log("MongoDB contract run skipped: MONGODB_URI is not set (no mongod can run on this machine).");
}

describeMongo("store contract", ({ uri }) => {
  const open = () => openIndexedStore(uri, "hamdel_test");
  storeContract(open);
});
