import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { migrateCommand } from "../../src/cli/migrate.js";
import {
  migrateCollections,
  migrationKeyOf,
  type Checkpoint,
  type Conflict,
  type MigrationTarget,
} from "../../src/services/migrate.js";
import { castDocuments, modelsByCollection } from "../../src/store/mongo/import.js";
import { registerModels } from "../../src/store/mongo/models.js";
import type { Doc } from "../../src/store/port/migration.js";
import { openSqliteExport } from "../../src/store/sqlite/export.js";
import { seededStore } from "../support/pilot.js";

/**
 * `hamdel migrate --to mongodb://…`: a pilot's embedded store copied into
 * MongoDB. Here: every collection exported in the production schema's shape,
 * the copy idempotent, resumable and verified by counts (against an in-memory
 * target with the same upsert-by-key semantics); against MongoDB itself
 * wherever MONGODB_URI is set.
 */

/**
 * A target with MongoDB's semantics, in memory: upsert by key, a unique national ID across documents (a clash is a
 * conflict), checkpoints per source and collection. It can be made to fail after N batches, or to lose a collection's
 * writes.
 */
function memoryTarget(failAfterBatches = Infinity) {
  const collections = new Map<string, Map<string, Doc>>();
  const checkpoints = new Map<string, Checkpoint>();
  let batches = 0;
  const target: MigrationTarget & {
    collections: typeof collections;
    failAfterBatches: number;
    loses: Set<string>;
    close(): Promise<void>;
  } = {
    collections,
    failAfterBatches,
    loses: new Set(),
    async upsert(name, key, docs) {
      if (++batches > target.failAfterBatches) throw new Error("connection lost");
      const c = collections.get(name) ?? new Map<string, Doc>();
      collections.set(name, c);
      let written = 0;
      const conflicts: Conflict[] = [];
      for (const d of docs) {
        const k = JSON.stringify(key.map((f) => d[f]));
        const clash = [...c.entries()].find(
          ([other, o]) => other !== k && d.nationalIdHash && o.nationalIdHash === d.nationalIdHash,
        );
        if (clash) {
          conflicts.push({ id: migrationKeyOf(key, d), field: "nationalId" });
          continue;
        }
        if (target.loses.has(name)) continue;
        if (JSON.stringify(c.get(k)) !== JSON.stringify(d)) written++;
        c.set(k, structuredClone(d));
      }
      return { written, conflicts };
    },
    present: async (name, key, docs) =>
      docs.filter((d) => collections.get(name)?.has(JSON.stringify(key.map((f) => d[f])))).length,
    checkpoint: async (source, name) => checkpoints.get(`${source}|${name}`) ?? null,
    saveCheckpoint: async (source, name, c) => void checkpoints.set(`${source}|${name}`, structuredClone(c)),
    close: async () => {},
  };
  return target;
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
    const { collections: all, close } = openSqliteExport(seeded.dataDir, seeded.cipher());
    const collections = { id: "pilot-a", collections: all };
    try {
      const target = memoryTarget(3);
      await expect(migrateCollections(collections, target, { batchSize: 2 })).rejects.toThrow("connection lost");
      // The first collection got three batches in; the run resumes from there.
      expect(target.collections.get("people")!.size).toBe(6);
      expect(await target.checkpoint("pilot-a", "people")).toMatchObject({ copied: 6, present: 6, done: false });
      // Another pilot's progress is its own.
      expect(await target.checkpoint("pilot-b", "people")).toBeNull();
      target.failAfterBatches = Infinity; // the connection is back
      const results = await migrateCollections(collections, target, { batchSize: 2 });
      expect(results.find((r) => r.name === "people")).toMatchObject({ resumedFrom: expect.any(Number), ok: true });
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.find((r) => r.name === "people")).toMatchObject({ source: 7, target: 7, written: 7 });
      // Run again after it finished: everything is read again, nothing is written, nothing doubles.
      const rerun = await migrateCollections(collections, target, { batchSize: 2 });
      expect(rerun.every((r) => r.ok && r.resumedFrom === null && r.written === 0)).toBe(true);
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
    expect(out).toMatch(/people\s+7\s+7\s+0\s+7\s+ok/);
    expect(out).toContain("migration verified");
    expect(out).toContain("set PII_KEY to its contents");
    // A target that holds other provinces' documents still verifies: only this pilot's are counted.
    target.collections.get("centres")!.set("other-province", {});
    lines.length = 0;
    expect(await migrateCommand(["--to", "mongodb://db.example:27017/hamdel"], io, async () => target, config)).toBe(0);
    expect(lines.join("\n")).toMatch(/people\s+7\s+7\s+0\s+0\s+ok/);
    // One whose writes do not land does not.
    target.loses.add("invites");
    target.collections.delete("invites");
    lines.length = 0;
    expect(await migrateCommand(["--to", "mongodb://db.example:27017/hamdel"], io, async () => target, config)).toBe(1);
    expect(lines.join("\n")).toMatch(/invites\s+1\s+0\s+0\s+0\s+MISMATCH/);
  });
});
