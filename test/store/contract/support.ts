import { afterEach, beforeEach } from "vitest";
import { PiiCipher } from "../../../src/security/pii.js";
import type { Centre, NewNeed, PersonPatch, Store } from "../../../src/store/port/index.js";
import { candidateQuery, newNeed } from "../../support/fixtures.js";

export const TEST_CIPHER = new PiiCipher("contract-suite-key-0123456789abcdef");

/** Gives each test of a suite an empty store of its own (`use` receives it), closed after the test. */
export function freshStore(open: () => Promise<Store>, use: (store: Store) => void): void {
  let store: Store | undefined;
  beforeEach(async () => use((store = await open())));
  afterEach(async () => {
    await store?.close();
  });
}

/** The places, volunteers and needs the time bank's suites share, on the store of the test running. */
export function timebankFixtures(current: () => Store) {
  const CENTRE: Centre = {
    code: "KSH-PL-01",
    kind: "positive_life",
    name: "Centre one",
    province: "kermanshah",
    county: "kermanshah",
    neighbourhood: "Elahiyeh",
    address: "Street 1",
    phone: "08338000000",
    location: { lat: 34.33, lon: 47.08 },
    institutionCode: "INST-KSH-1",
  };

  const seedPlaces = async () => {
    await current().centres.upsertInstitutions([
      { code: "INST-KSH-1", name: "Institution one", province: "kermanshah", phone: null },
    ]);
    await current().centres.upsertCentres([CENTRE]);
  };

  let next = 0;
  const volunteer = async (patch: PersonPatch & { reachable?: boolean }) => {
    const userId = `v${++next}`;
    const { person } = await current().people.ensure({ platform: "telegram", userId, chatId: userId });
    const { reachable, ...rest } = patch;
    const p = await current().people.update(person.id, {
      registeredAt: new Date("2026-10-01T00:00:00Z"),
      province: "kermanshah",
      county: "kermanshah",
      roles: ["neighbourhood_helper"],
      skills: ["cooking"],
      availability: { slots: ["sat.morning", "mon.evening"], hoursPerWeek: 4 },
      ...rest,
    });
    if (reachable === false) await current().people.setReachable({ platform: "telegram", userId }, false);
    return p;
  };

  const need = (over: Partial<NewNeed> = {}): NewNeed => newNeed({ centreCode: CENTRE.code, ...over });

  const query = candidateQuery;

  const NOW = new Date("2026-11-25T10:00:00Z");

  return { CENTRE, seedPlaces, volunteer, need, query, NOW };
}
