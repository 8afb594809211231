import { defineConfig } from "vitest/config";

/**
 * The emulator lane (`npm run test:emulator`): the MongoDB suites
 * (`*.mongo.test.ts`) against jongodb, a MongoDB-compatible emulator started
 * by the global setup. Its summary line is its own; `.ci/run` adds it to the
 * total and never counts it as a MongoDB run.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.mongo.test.ts", "test/**/*.emulator.test.ts"],
    globals: false,
    pool: "forks",
    // One file at a time: the emulator is a single in-memory process.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ["./test/support/emulator-setup.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
