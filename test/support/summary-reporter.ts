import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with the one line CI reads: `N passed, N failed, N skipped`,
 * after naming the suites that were skipped (e.g. the MongoDB contract run).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const skippedSuites = new Set<string>();
    for (const mod of modules) {
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed++;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else {
          skipped++;
          let parent = test.parent;
          while (parent.type === "suite" && parent.parent.type === "suite") parent = parent.parent;
          if (parent.type === "suite") skippedSuites.add(parent.name);
        }
      }
    }
    for (const name of skippedSuites) console.log(`SKIPPED: ${name}`);
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  }
}
