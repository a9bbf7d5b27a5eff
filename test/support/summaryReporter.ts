// Ends every run with the one line CI reads: "N passed, N failed, N skipped". A failure outside a
// test (a beforeAll/afterAll hook, a describe block, a file that cannot load, an unhandled error)
// counts as one failed, so the line never says "0 failed" when vitest fails the run.
import type { Reporter, TestModule, TestRunEndReason, TestSuite } from "vitest/node";

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** Where something failed outside a test, for the notes above the line. */
  outside: string[];
}

function where(entity: TestModule | TestSuite): string {
  return entity.type === "module" ? entity.relativeModuleId : `${entity.module.relativeModuleId} > ${entity.fullName}`;
}

/** The module's and every suite's own errors: hooks, collection, import. */
function countOutsideTests(testModule: TestModule, tally: Tally): void {
  for (const entity of [testModule, ...testModule.children.allSuites()]) {
    const errors = entity.errors();
    if (errors.length === 0) continue;
    tally.failed += 1;
    tally.outside.push(`${where(entity)}: ${errors[0]?.message ?? "failed"}`);
  }
}

export function tallyRun(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason: TestRunEndReason | undefined): Tally {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, outside: [] };
  for (const testModule of testModules) {
    for (const test of testModule.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") tally.passed += 1;
      else if (state === "failed") tally.failed += 1;
      else tally.skipped += 1;
    }
    const before = tally.failed;
    countOutsideTests(testModule, tally);
    // A failed module that reported no error of its own and no failed test still failed.
    const failedTests = [...testModule.children.allTests()].filter((test) => test.result().state === "failed").length;
    if (testModule.state() === "failed" && failedTests === 0 && tally.failed === before) {
      tally.failed += 1;
      tally.outside.push(`${testModule.relativeModuleId}: failed`);
    }
  }
  for (const error of unhandledErrors) {
    tally.failed += 1;
    tally.outside.push(`unhandled error: ${(error as { message?: string })?.message ?? String(error)}`);
  }
  // Vitest's own verdict has the last word: a failed or interrupted run never reads "0 failed".
  if (reason !== undefined && reason !== "passed" && tally.failed === 0) {
    tally.failed = 1;
    tally.outside.push(`vitest ended the run as ${reason}`);
  }
  return tally;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason?: TestRunEndReason): void {
    const tally = tallyRun(testModules, unhandledErrors, reason);
    const notes = tally.outside.map((failure) => `failed outside a test: ${failure}`);
    if (process.env.SKIP_BROWSER_TESTS === "1") notes.push("browser tests skipped by SKIP_BROWSER_TESTS=1");
    if (!process.env.EVENTSTORE_URL) notes.push("EventStoreDB contract suite skipped: EVENTSTORE_URL unset");
    for (const note of notes) process.stdout.write(`note: ${note}\n`);
    process.stdout.write(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
  }
}
