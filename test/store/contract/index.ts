import type { Store } from "../../../src/store/port/index.js";
import { accessContract } from "./access.js";
import { campaignsContract } from "./campaigns.js";
import { centresContract } from "./centres.js";
import { deliveriesContract } from "./deliveries.js";
import { ledgerContract } from "./ledger.js";
import { needsContract } from "./needs.js";
import { peopleContract } from "./people.js";
import { reportsContract } from "./reports.js";
import { sessionsContract } from "./sessions.js";
import { screeningContract } from "./screening.js";
import { expect, it } from "vitest";

import { freshStore } from "./support.js";

export { TEST_CIPHER } from "./support.js";

/**
 * The store contract: one suite per repository (a file of the same name as
 * the port's, the SQLite adapter's and the MongoDB adapter's), run against
 * every adapter (SQLite always, MongoDB whenever MONGODB_URI is set, and the
 * emulator lane). `open` must return an empty store.
 */
export function storeContract(open: () => Promise<Store>) {
  peopleContract(open);
  deliveriesContract(open);
  campaignsContract(open);
  centresContract(open);
  needsContract(open);
  ledgerContract(open);
  accessContract(open);
  reportsContract(open);
  sessionsContract(open);
  screeningContract(open);

  let store: Store;
  freshStore(open, (s) => (store = s));
  it("answers ping", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
}
