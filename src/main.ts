// Composition root: configuration -> store -> projections -> hub -> HTTP.
import { ConfigError, loadConfig } from "./config.ts";
import { isClusterPrimary, runClusterPrimary } from "./scale/clusterPrimary.ts";
import { startServer } from "./server.ts";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (isClusterPrimary(config)) return runClusterPrimary(config);
  const running = await startServer(config);
  const storeName = config.eventStore.kind === "sqlite" ? `embedded store in ${config.dataDir}` : "EventStoreDB";
  console.log(`handoff listening on ${running.url} (${storeName})`);
  let closing = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      running.close().then(
        () => process.exit(0),
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error) => {
  console.error("handoff failed to start:", error);
  process.exit(1);
});
