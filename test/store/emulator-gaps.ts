import type { Db } from "mongodb";

/**
 * What the emulator lacks, and the contract tests that fail only for that.
 *
 * Each entry names one operator, the tests it stops, and a minimal proof
 * against the emulator (emulator-gaps.mongo.test.ts runs every proof: when
 * the emulator learns the operator, that test fails and the entry must go).
 * This list holds nothing else: a test that fails on the emulator for any
 * other reason is a failure.
 */
export interface EmulatorGap {
  operator: string;
  /** Test names as vitest gives them below the lane's suite (`suite > test`). */
  tests: string[];
  /** Shows the gap on a scratch database: resolves with what the emulator did instead. */
  proof(db: Db): Promise<void>;
}

export const EMULATOR_GAPS: EmulatorGap[] = [];

export function emulatorGapFor(fullTestName: string): EmulatorGap | undefined {
  return EMULATOR_GAPS.find((g) => g.tests.some((t) => fullTestName.endsWith(t)));
}
