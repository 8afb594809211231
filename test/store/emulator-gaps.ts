import type { mongo } from "mongoose";

type Db = mongo.Db;
import { expect } from "vitest";

/**
 * What the emulator lacks, and the contract tests that fail only for that.
 *
 * Each entry names one operator or server behaviour, the tests it stops, and
 * a minimal proof against the emulator: emulator-gaps.mongo.test.ts runs every
 * proof, so when the emulator learns it, that test fails and the entry must go.
 * This list holds nothing else: a test that fails on the emulator for any
 * other reason is a failure. On MongoDB (MONGODB_URI) nothing is skipped.
 */
export interface EmulatorGap {
  operator: string;
  /** Test names as vitest gives them below the lane's suite (`suite > test`). */
  tests: string[];
  /** Shows the gap on a scratch database; throws if the emulator behaves as MongoDB does. */
  proof(db: Db): Promise<void>;
}

export const EMULATOR_GAPS: EmulatorGap[] = [
  {
    operator: "unique multikey index (each array element a key)",
    tests: ["identities > links a second platform to a person, once"],
    async proof(db) {
      // MongoDB refuses the second insert: "a" is already a key of the unique index on `k`.
      const c = db.collection("gap_multikey");
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertOne({ _id: 1 as never, k: ["a"] });
      await c.insertOne({ _id: 2 as never, k: ["c", "a"] });
      expect(await c.countDocuments()).toBe(2);
    },
  },
  {
    operator: "$dateToString (aggregation expressions are returned as written, not evaluated)",
    tests: ["report counts > counts registered volunteers by day, place, source, role and skill, within provinces"],
    async proof(db) {
      const c = db.collection("gap_date_to_string");
      await c.insertOne({ at: new Date("2026-11-20T21:00:00Z") });
      const [row] = await c
        .aggregate([
          {
            $group: {
              _id: { $dateToString: { format: "%Y-%m-%d", date: "$at", timezone: "Asia/Tehran" } },
              n: { $sum: 1 },
            },
          },
        ])
        .toArray();
      // MongoDB: { _id: "2026-11-21", n: 1 }.
      expect(row!._id).toEqual({ $dateToString: { format: "%Y-%m-%d", date: "$at", timezone: "Asia/Tehran" } });
    },
  },
  {
    operator: "transaction write conflicts (snapshot isolation: the second writer of a document must abort)",
    tests: [
      "needs and offers > gives one place to one of many simultaneous acceptances",
      "needs and offers > counts every offer in a person's fairness, even when two needs ask them at once",
    ],
    async proof(db) {
      const c = db.collection("gap_write_conflict");
      await c.insertOne({ _id: 1 as never, n: 0 });
      const client = (db as unknown as { client: mongo.MongoClient }).client;
      const [s1, s2] = [client.startSession(), client.startSession()];
      try {
        s1.startTransaction();
        s2.startTransaction();
        const seen1 = (await c.findOne({ _id: 1 as never }, { session: s1 }))!.n as number;
        const seen2 = (await c.findOne({ _id: 1 as never }, { session: s2 }))!.n as number;
        await c.updateOne({ _id: 1 as never }, { $set: { n: seen1 + 1 } }, { session: s1 });
        // MongoDB answers this write with WriteConflict (a TransientTransactionError): s1 holds the document.
        await c.updateOne({ _id: 1 as never }, { $set: { n: seen2 + 1 } }, { session: s2 });
        await s1.commitTransaction();
        await s2.commitTransaction();
        // Both committed: one increment is lost.
        expect((await c.findOne({ _id: 1 as never }))!.n).toBe(1);
      } finally {
        await s1.endSession();
        await s2.endSession();
      }
    },
  },
  {
    operator: "atomic findOneAndUpdate (a filter and its update as one step, under concurrent writers)",
    tests: [
      "invitations > gives one link to exactly one of many people opening it at once",
      "sessions > gives a session's credit claim and each reminder to one of simultaneous claimants",
    ],
    async proof(db) {
      // MongoDB matches and updates a document as one step: of eight guarded updates sent at once, one matches.
      // The emulator answers several of them as winners in some rounds (42 of 300 when first measured), so the
      // proof looks over up to 300 rounds for one.
      const c = db.collection("gap_atomic_update");
      for (let round = 0; round < 300; round++) {
        await c.insertOne({ _id: round as never, usedBy: null });
        const winners = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            c.findOneAndUpdate({ _id: round as never, usedBy: null }, { $set: { usedBy: i } }),
          ),
        );
        if (winners.filter((w) => w !== null).length > 1) return;
      }
      throw new Error("one winner in every round: the emulator updates atomically now");
    },
  },
];

export function emulatorGapFor(fullTestName: string): EmulatorGap | undefined {
  return EMULATOR_GAPS.find((g) => g.tests.some((t) => fullTestName.endsWith(t)));
}
