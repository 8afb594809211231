import { readFileSync } from "node:fs";
import { importCentres, importInstitutions } from "../../src/services/reference-data.js";
import type { SimUser } from "../../src/playground/bot-api/simulator.js";
import type { Store } from "../../src/store/port/index.js";
import { createHarness, TOKENS, type Harness } from "./harness.js";

const sample = (name: string) => readFileSync(new URL(`../../scripts/sample-data/${name}`, import.meta.url), "utf8");

/** The pilot provinces' sample institutions and centres (scripts/sample-data), as the playground loads them. */
export async function importSampleData(store: Store): Promise<void> {
  await importInstitutions(store, sample("institutions.csv"), "test");
  await importCentres(store, sample("centres.csv"), "test");
}

/** The app with the sample data loaded and one national admin (ADMIN_IDS) with an open chat. */
export async function harnessWithSample(admin: SimUser): Promise<Harness> {
  const h = await createHarness({ env: { ADMIN_IDS: `telegram:${admin.id}` } });
  await importSampleData(h.app.deps.store);
  h.sim.openChat(TOKENS.telegram, admin);
  return h;
}

/** Monthly campaigns with these slugs: deep links that name a known campaign. */
export async function addCampaigns(store: Store, ...slugs: string[]): Promise<void> {
  for (const slug of slugs)
    await store.campaigns.create({
      slug,
      template: "monthly",
      title: slug,
      hijriYear: null,
      adjustDays: 0,
      monthDay: 1,
      hour: 18,
      segment: {},
      createdBy: null,
    });
}
