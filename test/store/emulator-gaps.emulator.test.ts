import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mongoLane } from "../support/mongo-lane.js";
import { EMULATOR_GAPS } from "./emulator-gaps.js";

/**
 * Each listed gap, shown on the emulator. A proof that stops failing means
 * the emulator learned the operator: its entry (and the skips) must go.
 * Only in the emulator lane: against MongoDB there is nothing to prove.
 */
const lane = mongoLane();
describe.runIf(lane?.emulator === true)("the emulator's known gaps, each proven", () => {
  let client: mongoose.mongo.MongoClient;
  beforeAll(async () => {
    client = await new mongoose.mongo.MongoClient(lane!.uri).connect();
  });
  afterAll(() => client?.close());

  it("lists each gap with its operator and at least one test", () => {
    for (const g of EMULATOR_GAPS) {
      expect(g.operator).not.toBe("");
      expect(g.tests.length).toBeGreaterThan(0);
    }
  });

  for (const gap of EMULATOR_GAPS)
    it(`lacks ${gap.operator}`, async () => {
      await gap.proof(client.db(`gap_${Math.random().toString(36).slice(2, 10)}`));
    });
});
