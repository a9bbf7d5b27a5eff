// Driver: rebuilds the read models from zero, in-process, the way the server does at start:
// openHandoff over a data dir whose read-model file is missing, timed until the runner catches up.
import { performance } from "node:perf_hooks";
import { openHandoff } from "../../src/app/handoff.ts";
import { loadConfig } from "../../src/config.ts";
import { serveParent } from "../lib/childProcess.ts";

serveParent({
  async rebuild({ dataDir }: { dataDir: string }) {
    const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: "bench-secret-bench-secret-0123456789", STORE_DURABILITY: process.env.STORE_DURABILITY ?? "full", RATE_LIMITS: "off" });
    const started = performance.now();
    const handoff = openHandoff(config);
    await handoff.runner.caughtUp;
    const ms = performance.now() - started;
    const counts = handoff.readDb
      .prepare<[], { messages: number; giveaways: number; users: number }>(
        "SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM giveaways) AS giveaways, (SELECT count(*) FROM users) AS users",
      )
      .get()!;
    await handoff.close();
    return { ms, counts };
  },
});
