// Ends every run with the one line CI reads: "N passed, N failed, N skipped".
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const testModule of testModules) {
      // A file that failed to load has no tests but must still count as a failure.
      if (testModule.state() === "failed" && [...testModule.children.allTests()].length === 0) failed += 1;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
    }
    const notes: string[] = [];
    if (process.env.SKIP_BROWSER_TESTS === "1") notes.push("browser tests skipped by SKIP_BROWSER_TESTS=1");
    if (!process.env.EVENTSTORE_URL) notes.push("EventStoreDB contract suite skipped: EVENTSTORE_URL unset");
    for (const note of notes) process.stdout.write(`note: ${note}\n`);
    process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
