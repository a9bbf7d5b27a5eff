#!/usr/bin/env node
// The whole test suite: makes sure Chromium is there for the browser tests, then runs vitest.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skipBrowser = process.env.SKIP_BROWSER_TESTS === "1";

if (skipBrowser) {
  console.log("SKIP_BROWSER_TESTS=1: the browser tests will be reported as skipped.");
} else if (!existsSync(chromium)) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) {
    console.log(`Chromium is missing at ${chromium}; installing Debian's chromium package...`);
    const install = spawnSync("sh", ["-c", "apt-get update && apt-get install -y chromium"], { stdio: "inherit" });
    if (install.status !== 0 || !existsSync(chromium)) {
      console.error("Could not install Chromium. Install it with: apt-get install -y chromium (or set SKIP_BROWSER_TESTS=1).");
      process.exit(1);
    }
  } else {
    console.error(
      `Chromium is missing at ${chromium}. Install it with: sudo apt-get install -y chromium ` +
        "(or point CHROMIUM_PATH at a Chromium, or set SKIP_BROWSER_TESTS=1 to skip the browser tests).",
    );
    process.exit(1);
  }
}

const result = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
