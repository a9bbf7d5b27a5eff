// `npm start` against an EventStoreDB that cannot be reached: it says what it waits for, logs each
// try, and stops with a clear message after EVENTSTORE_CONNECT_TIMEOUT_MS (a real process, loopback only).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { makeTempDir } from "../support/tempDir.ts";

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("start-up on an unreachable EventStoreDB", () => {
  it("logs each try and exits 1 with a clear message after the connect timeout", async () => {
    const dir = makeTempDir("esdbstart");
    const port = await closedPort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        EVENT_STORE: "esdb",
        EVENTSTORE_URL: `esdb://admin:s3cret@127.0.0.1:${port}?tls=false`,
        EVENTSTORE_CONNECT_TIMEOUT_MS: "2000",
        DATA_DIR: dir.path,
        PORT: "0",
        JWT_SECRET: "startup-secret-startup-secret-0123",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    dir.remove();
    const lines = stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; attempt?: number; servers?: string });
    expect(code).toBe(1);
    expect(lines.find((line) => line.msg === "using EventStoreDB")?.servers).toBe(`127.0.0.1:${port}`);
    expect(lines.some((line) => line.msg === "waiting for EventStoreDB: catching up")).toBe(true);
    const tries = lines.filter((line) => line.msg === "EventStoreDB unreachable, retrying");
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(tries.map((line) => line.attempt)).toEqual(tries.map((_, i) => i + 1));
    expect(stderr).toMatch(/EventStoreDB unreachable for subscription to \$all .*gave up after \d+ tries .*EVENTSTORE_CONNECT_TIMEOUT_MS=2000/);
    expect(stdout + stderr).not.toContain("s3cret");
  }, 90_000);

  it("reads the timeouts from the environment and refuses nonsense", () => {
    const base = { EVENT_STORE: "esdb", EVENTSTORE_URL: "esdb://127.0.0.1:2113?tls=false" };
    expect(loadConfig(base).eventStore).toMatchObject({ connectTimeoutMs: 60_000, catchUpIdleTimeoutMs: 30_000 });
    expect(loadConfig({ ...base, EVENTSTORE_CONNECT_TIMEOUT_MS: "5000", EVENTSTORE_CATCHUP_IDLE_TIMEOUT_MS: "9000" }).eventStore).toMatchObject({
      connectTimeoutMs: 5000,
      catchUpIdleTimeoutMs: 9000,
    });
    expect(() => loadConfig({ ...base, EVENTSTORE_CONNECT_TIMEOUT_MS: "soon" })).toThrow(ConfigError);
  });
});
