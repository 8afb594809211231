import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The emulator lane's own proofs run only there (vitest.emulator.config.ts).
    exclude: [...configDefaults.exclude, "test/**/*.emulator.test.ts"],
    globals: false,
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
