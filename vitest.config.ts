import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Servers started in tests log nothing unless asked (LOG_LEVEL=debug npm test).
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a real server does in its own time; the machine is shared and slow.
    expect: { poll: { timeout: 10_000, interval: 20 } },
    reporters: ["default", "./test/support/summaryReporter.ts"],
  },
});
