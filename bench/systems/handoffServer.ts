// handoff itself, as it runs in production: the real server (express, auth, SSE, projections) over
// the embedded store at the configured durability, in its own process. Started with the data dir
// as its argument; reports how long startServer took, so cold start can be split from node's boot.
import { performance } from "node:perf_hooks";
import { loadConfig } from "../../src/config.ts";
import { startServer } from "../../src/server.ts";
import { serveParent } from "../lib/childProcess.ts";
import { wallNow } from "../lib/clock.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: handoffServer.ts <dataDir>");

const bootedAt = performance.now();
const config = loadConfig({
  ...process.env,
  PORT: "0",
  HOST: "127.0.0.1",
  DATA_DIR: dataDir,
  JWT_SECRET: process.env.JWT_SECRET ?? "bench-secret-bench-secret-0123456789",
  STORE_DURABILITY: process.env.STORE_DURABILITY ?? "full",
  // The load is many clients from one loopback address, far past a person's pace.
  RATE_LIMITS: "off",
});
const running = await startServer(config);
const startServerMs = performance.now() - bootedAt;

serveParent(
  {
    connections: () => running.handoff.hub.connectionCount(),
  },
  { url: running.url, startServerMs, readyAt: wallNow(), processUptimeMs: performance.now(), durability: config.eventStore.kind === "sqlite" ? config.eventStore.durability : "esdb" },
  () => running.close(),
);
