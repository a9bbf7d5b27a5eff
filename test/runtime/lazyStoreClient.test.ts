// On the embedded store the server never loads the EventStoreDB client: its gRPC stack was about a
// third of what a start imported (the cold start target counts every millisecond). Nor, without
// SMTP_URL and SMTP_INBOUND_PORT, the mail libraries (8 MB of heap, 35 MB resident, in every process
// for nothing). A real process, asked after it serves which packages it has loaded.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { makeTempDir } from "../support/tempDir.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

const script = `
import { createRequire } from "node:module";
import { loadConfig } from "./src/config.ts";
import { startServer } from "./src/server.ts";
const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: process.env.TEST_DATA_DIR, JWT_SECRET: "lazy-client-secret-lazy-client-0123", LOG_LEVEL: "warn" });
const running = await startServer(config);
const health = await fetch(running.url + "/healthz");
const loaded = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({ health: health.status, esdbClient: loaded.some((file) => file.includes("@eventstore/db-client")), grpc: loaded.some((file) => file.includes("@grpc/grpc-js")), mail: ["/nodemailer/", "/smtp-server/", "/mailparser/"].filter((name) => loaded.some((file) => file.includes(name))) }));
await running.close();
process.exit(0);
`;

it("serves on the embedded store without loading @eventstore/db-client, gRPC or, with no mail set up, the mail libraries", { timeout: 60_000 }, () => {
  const dir = makeTempDir("lazy-client");
  try {
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      env: { ...process.env, TEST_DATA_DIR: dir.path, EVENTSTORE_URL: "", SMTP_URL: "", SMTP_INBOUND_PORT: "" },
      encoding: "utf8",
    });
    const report = JSON.parse(output.trim().split("\n").pop()!) as { health: number; esdbClient: boolean; grpc: boolean; mail: string[] };
    expect(report).toEqual({ health: 200, esdbClient: false, grpc: false, mail: [] });
  } finally {
    dir.remove();
  }
});
