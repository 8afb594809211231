import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { servicePostings } from "../../src/domain/ledger.js";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import type { Store } from "../../src/store/port/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "./config.js";
import { candidateQuery, newNeed } from "./fixtures.js";
import { importSampleData } from "./sample.js";

/** A pilot's embedded store with one of everything, for the migration suites. */

export const NOW = new Date("2026-11-25T10:00:00Z");

/** One of everything: people (with identities, skills, roles, a draft, fairness counters), the outbox, campaigns… */
export async function seedEverything(store: Store) {
  await importSampleData(store); // institutions, centres, coordinator grants, the import's audit record
  const people = [];
  for (let i = 0; i < 7; i++) {
    const { person } = await store.people.ensure({
      platform: i % 2 ? "bale" : "telegram",
      userId: `u${i}`,
      chatId: `u${i}`,
    });
    people.push(
      await store.people.update(person.id, {
        firstName: `n${i}`,
        lastName: "x",
        phone: `0912000000${i}`,
        nationalId: null,
        registeredAt: NOW,
        province: "kermanshah",
        county: "kermanshah",
        location: { lat: 34.3, lon: 47.1 },
        skills: ["cooking"],
        roles: ["neighbourhood_helper"],
        availability: { slots: ["sat.morning"], hoursPerWeek: 4 },
      }),
    );
  }
  await store.people.saveDraft(people[0]!.id, { firstName: "draft" } as never);
  const { broadcast } = await createBroadcast(store, {
    text: "salam",
    segment: {},
    urgent: true,
    notBefore: NOW,
    createdBy: "telegram:1",
    imIn: true,
  });
  await store.deliveries.respond(broadcast.id, people[1]!.id);
  await store.campaigns.create({
    slug: "ramadan-1448",
    template: "ramadan",
    title: "r",
    hijriYear: 1448,
    adjustDays: 0,
    monthDay: null,
    hour: 20,
    segment: {},
    createdBy: "cli",
  });
  await store.campaigns.recordRun("ramadan-1448", "ramadan:1", broadcast.id);
  await store.campaigns.pledge("ramadan-1448", people[2]!.id, 10);
  const centre = (await store.centres.listCentres({ province: "kermanshah" }))[0]!;
  await store.centres.reportAction({
    centreCode: centre.code,
    kind: "iftar",
    date: "2027-02-10",
    participants: 5,
    reportedBy: "t",
  });
  const need = await store.needs.create(newNeed({ centreCode: centre.code }));
  const found = await store.needs.candidates(candidateQuery(), 20, NOW);
  const offers = await store.needs.createOffers(need.id, found, NOW, new Date(NOW.getTime() + 3_600_000));
  await store.ledger.post({
    key: `service:${offers[0]!.id}`,
    kind: "service",
    offerId: offers[0]!.id,
    reverses: null,
    memo: null,
    postings: servicePostings(`person:${offers[0]!.personId}`, `centre:${centre.code}`, 120),
    by: "telegram:1",
  });
  await store.needs.reportHours({ offerId: offers[0]!.id, minutes: 120, date: "2026-12-01" });
  const [session] = await store.sessions.create([
    {
      offerId: offers[0]!.id,
      needId: need.id,
      personId: offers[0]!.personId,
      centreCode: centre.code,
      date: "2026-12-05",
      part: "morning",
      startsAt: new Date("2026-12-05T04:30:00Z"),
      endsAt: new Date("2026-12-05T08:30:00Z"),
    },
  ]);
  await store.sessions.claimReminder(session!.id, "d2", NOW, ["scheduled"]);
  await store.sessions.move(session!.id, ["scheduled"], "checked_out", {
    checkInAt: new Date("2026-12-05T04:40:00Z"),
    checkOutAt: new Date("2026-12-05T07:30:00Z"),
    checkInBy: "self",
    minutes: 170,
  });
  await store.certificates.issue({
    code: "HMC-AAAAA-BBBBB",
    personId: offers[0]!.personId,
    name: "n0 x",
    minutes: 120,
    issuedAt: NOW,
  });
  // A clearance certificate waiting for review (a sealed file), and a quiz passed.
  await store.screening.record({
    personId: offers[0]!.personId,
    requirement: "document:clearance",
    status: "pending",
    institutionCode: "INST-KSH-01",
    file: { mime: "image/png", bytes: Buffer.from("PNG clearance") },
    createdAt: NOW,
  });
  await store.screening.record({
    personId: offers[0]!.personId,
    requirement: "orientation:infant_care",
    status: "approved",
    score: 4,
    createdAt: NOW,
  });
  // A console link spent an hour from now: it stays spent in the new store.
  await store.access.claimOnce("console-link:n-1", new Date(Date.now() + 3_600_000));
  await store.access.createInvite({
    id: "inv-1",
    role: "centre_coordinator",
    scope: centre.code,
    createdBy: "telegram:1",
    expiresAt: new Date(NOW.getTime() + 86_400_000),
    usedAt: null,
  } as never);
  await store.access.audit({
    actor: "telegram:1",
    action: "test",
    scope: "national",
    target: null,
    outcome: "ok",
    details: { n: 1 },
  });
  return people;
}

/** A fresh embedded store with one of everything, per test (the hooks are registered in the calling suite). */
export function seededStore() {
  const t = {} as { dataDir: string; store: Store; cipher(): PiiCipher };
  beforeEach(async () => {
    t.dataDir = tempDir();
    t.cipher = () => new PiiCipher(resolvePiiKey(undefined, join(t.dataDir, "pii.key"), () => {}));
    t.store = openSqliteStore(t.dataDir, t.cipher());
    await seedEverything(t.store);
  });
  afterEach(() => t.store.close());
  return t;
}
