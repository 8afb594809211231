import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The emulator lane's own proofs run only there (vitest.emulator.config.ts).
    exclude: [...configDefaults.exclude, "test/**/*.emulator.test.ts"],
    globals: false,
    pool: "forks",
    // Two files at a time even on two cores (vitest's default is one fewer than the cores): most files spend
    // their time waiting on child processes, sockets and the simulator, not on the CPU.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Modules load once per worker, not once per file (the app's graph takes about 3 s to import): no test
    // relies on a fresh module (the metrics have a registry per app, the caches are keyed by their inputs).
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
