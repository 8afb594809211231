import { join } from "node:path";
import mongoose from "mongoose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { migrateCommand } from "../../src/cli/migrate.js";
import { slotMask } from "../../src/domain/matching.js";
import { servicePostings } from "../../src/domain/ledger.js";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { migrateCollections, type Checkpoint, type MigrationTarget } from "../../src/services/migrate.js";
import { castDocuments, modelsByCollection } from "../../src/store/mongo/import.js";
import { registerModels } from "../../src/store/mongo/models.js";
import { openMongoStore } from "../../src/store/mongo/index.js";
import type { Store } from "../../src/store/port.js";
import { openSqliteExport, type Doc } from "../../src/store/sqlite/export.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../support/config.js";
import { newNeed } from "../support/fixtures.js";
import { importSampleData } from "../support/sample.js";

/**
 * `hamdel migrate --to mongodb://…`: a pilot's embedded store copied into
 * MongoDB. Here: every collection exported in the production schema's shape,
 * the copy idempotent, resumable and verified by counts (against an in-memory
 * target with the same upsert-by-key semantics); against MongoDB itself
 * wherever MONGODB_URI is set.
 */

const NOW = new Date("2026-11-25T10:00:00Z");

/** One of everything: people (with identities, skills, roles, a draft, fairness counters), the outbox, campaigns… */
async function seedEverything(store: Store) {
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
  const found = await store.needs.candidates(
    {
      province: "kermanshah",
      county: "kermanshah",
      neighbourhood: null,
      location: null,
      reach: "province",
      role: "neighbourhood_helper",
      skills: [],
      slotMask: slotMask(["sat.morning"]),
      exclude: new Set(),
    },
    20,
    NOW,
  );
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

/** A target with MongoDB's upsert-by-key semantics, in memory; it can be made to fail after N batches. */
function memoryTarget(failAfterBatches = Infinity) {
  const collections = new Map<string, Map<string, Doc>>();
  const checkpoints = new Map<string, Checkpoint>();
  let batches = 0;
  const target: MigrationTarget & {
    collections: typeof collections;
    failAfterBatches: number;
    close(): Promise<void>;
  } = {
    collections,
    failAfterBatches,
    async upsert(name, key, docs) {
      if (++batches > target.failAfterBatches) throw new Error("connection lost");
      const c = collections.get(name) ?? new Map<string, Doc>();
      collections.set(name, c);
      for (const d of docs) c.set(JSON.stringify(key.map((k) => d[k])), structuredClone(d));
    },
    count: async (name) => collections.get(name)?.size ?? 0,
    checkpoint: async (name) => checkpoints.get(name) ?? null,
    saveCheckpoint: async (name, c) => void checkpoints.set(name, { ...c }),
    close: async () => {},
  };
  return target;
}

/** A fresh embedded store with one of everything, per test (the hooks are registered in the calling suite). */
function seededStore() {
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

describe("migrate: the embedded store into MongoDB", () => {
  const seeded = seededStore();

  it("exports every collection, each document fitting the production Mongoose schema", async () => {
    const { collections, close } = openSqliteExport(seeded.dataDir, seeded.cipher());
    try {
      const models = modelsByCollection(registerModels(mongoose.createConnection()));
      // Every MongoDB collection has a source, and every source was seeded.
      expect(collections.map((c) => c.name).sort()).toEqual([...models.keys()].sort());
      for (const c of collections) {
        expect(c.count(), c.name).toBeGreaterThan(0);
        const { docs } = c.page(0, 1000);
        expect(docs).toHaveLength(c.count());
        const cast = castDocuments(models.get(c.name)!, c.key, docs);
        for (const k of c.key)
          expect(
            cast.every((d) => d[k] !== undefined && d[k] !== null),
            `${c.name}.${k}`,
          ).toBe(true);
      }
      // The schema check is real: a document missing required fields is refused, by name.
      expect(() => castDocuments(models.get("needs")!, ["_id"], [{ _id: "n" }])).toThrow(/needs: .*kind/);
      const [person] = collections.find((c) => c.name === "people")!.page(0, 1).docs;
      expect(person).toMatchObject({
        identityKeys: ["telegram:u0"],
        skills: ["cooking"],
        location: { type: "Point", coordinates: [47.1, 34.3] },
        notify: { campaigns: true, matches: true },
      });
      // Personal data travels sealed, never in the clear.
      expect(JSON.stringify(person)).not.toContain("09120000000");
      expect(person!.phoneEnc).toEqual(expect.any(String));
      expect(person!.draftEnc).toEqual(expect.any(String));
      const [ledger] = collections.find((c) => c.name === "ledger")!.page(0, 1).docs;
      expect(ledger!.postings).toHaveLength(2);
      expect((ledger!.accounts as string[]).some((a) => a.startsWith("centre:"))).toBe(true);
    } finally {
      close();
    }
  });

  it("is resumable after a failure, idempotent when run again, and verified by counts", async () => {
    const { collections, close } = openSqliteExport(seeded.dataDir, seeded.cipher());
    try {
      const target = memoryTarget(3);
      await expect(migrateCollections(collections, target, { batchSize: 2 })).rejects.toThrow("connection lost");
      // The first collection got three batches in; the run resumes from there.
      expect(await target.count("people")).toBe(6);
      expect(await target.checkpoint("people")).toMatchObject({ copied: 6, done: false });
      target.failAfterBatches = Infinity; // the connection is back
      const results = await migrateCollections(collections, target, { batchSize: 2 });
      expect(results.find((r) => r.name === "people")).toMatchObject({ resumedFrom: expect.any(Number), ok: true });
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.find((r) => r.name === "people")!.source).toBe(7);
      // Run again after it finished: everything is copied again, nothing doubles.
      const rerun = await migrateCollections(collections, target, { batchSize: 2 });
      expect(rerun.every((r) => r.ok && r.resumedFrom === null)).toBe(true);
      expect(rerun.map((r) => r.target)).toEqual(results.map((r) => r.target));
    } finally {
      close();
    }
  });

  it("the command: refuses a missing or wrong --to, reports counts and exits 0 only when they match", async () => {
    const lines: string[] = [];
    const io = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const config = parseConfig({ DATA_DIR: seeded.dataDir });
    expect(await migrateCommand([], io, undefined, config)).toBe(2);
    expect(await migrateCommand(["--to", "postgres://x"], io, undefined, config)).toBe(2);
    expect(lines.join("\n")).toContain("expected a mongodb:// URI");
    lines.length = 0;
    const target = memoryTarget();
    expect(await migrateCommand(["--to", "mongodb://db.example:27017/hamdel"], io, async () => target, config)).toBe(0);
    const out = lines.join("\n");
    expect(out).toMatch(/people\s+7\s+7\s+ok/);
    expect(out).toContain("migration verified");
    expect(out).toContain("set PII_KEY to its contents");
    // A target that already holds other documents does not verify.
    target.collections.get("centres")!.set("extra", {});
    lines.length = 0;
    expect(await migrateCommand(["--to", "mongodb://db.example:27017/hamdel"], io, async () => target, config)).toBe(1);
    expect(lines.join("\n")).toMatch(/centres\s+\d+\s+\d+\s+MISMATCH/);
  });
});

const uri = process.env.MONGODB_URI;
describe.skipIf(!uri)(`migrate into MongoDB itself${uri ? "" : " (skipped: MONGODB_URI not set)"}`, () => {
  const seeded = seededStore();

  it("into MongoDB itself: the copied people are read back by the MongoDB store, PII opened with the same key", async () => {
    const dbName = `hamdel_migrate_${Date.now()}`;
    const lines: string[] = [];
    const io = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const config = parseConfig({ DATA_DIR: seeded.dataDir });
    expect(await migrateCommand(["--to", uri!, "--db", dbName], io, undefined, config), lines.join("\n")).toBe(0);
    expect(await migrateCommand(["--to", uri!, "--db", dbName], io, undefined, config)).toBe(0);
    const mongo = await openMongoStore({ uri: uri!, dbName }, seeded.cipher());
    try {
      const person = await mongo.people.findByIdentity({ platform: "telegram", userId: "u0" });
      expect(person).toMatchObject({ firstName: "n0", phone: "09120000000", skills: ["cooking"] });
      expect((await mongo.centres.listCentres()).length).toBe((await seeded.store.centres.listCentres()).length);
    } finally {
      await mongo.close();
    }
  });
});
