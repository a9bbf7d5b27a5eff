// Rate limits spent in one process count in another on the same DATA_DIR.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { openSharedLimits } from "../../src/scale/sharedLimits.ts";
import { makeTempDir } from "../support/tempDir.ts";

const dir = makeTempDir("limits");
const limits = openSharedLimits(dir.path);
afterAll(() => {
  limits.close();
  dir.remove();
});

const consumer = fileURLToPath(new URL("../support/limitsConsumer.ts", import.meta.url));
const spend = async (key: string) =>
  limits
    .limiter({ keyPrefix: "test", points: 5, durationSeconds: 60 })
    .consume(key)
    .then(
      () => "ok",
      () => "refused",
    );

it("one budget for every process: what one spends, the other cannot", async () => {
  expect([await spend("client-1"), await spend("client-1"), await spend("client-1")]).toEqual(["ok", "ok", "ok"]);
  const other = execFileSync(process.execPath, ["--import", "tsx", consumer, dir.path, "client-1", "3"], { encoding: "utf8" });
  expect(other.trim().split("\n")).toEqual(["ok", "ok", "refused"]);
  expect(await spend("client-1")).toBe("refused");
  // Another client's budget is its own.
  expect(await spend("client-2")).toBe("ok");
}, 60_000);
