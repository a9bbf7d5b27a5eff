// Composition root: configuration -> store -> projections -> hub -> HTTP.
import { ConfigError, loadConfig } from "./config.ts";
import { isClusterPrimary, runClusterPrimary } from "./scale/clusterPrimary.ts";
import { componentLogger, errorFields, logger } from "./observability/logger.ts";
import { startServer } from "./server.ts";

const shutdownLog = componentLogger("shutdown");

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal({ problems: error.message.split("\n").slice(1).map((line) => line.trim()) }, "invalid configuration");
      process.stderr.write(`${error.message}\n`); // also in plain words for whoever started it
      process.exit(2);
    }
    throw error;
  }
  logger.level = config.logLevel;
  if (isClusterPrimary(config)) return runClusterPrimary(config);
  const running = await startServer(config);
  const storeName = config.eventStore.kind === "sqlite" ? `embedded store in ${config.dataDir}` : "EventStoreDB";
  logger.info({ url: running.url, store: storeName }, `handoff listening on ${running.url}`);
  let closing = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      // Whatever the shutdown waits for, the process ends within SHUTDOWN_TIMEOUT_MS.
      setTimeout(() => {
        shutdownLog.error({ signal, timeoutMs: config.shutdownTimeoutMs }, "shutdown did not finish in time: exiting");
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
      shutdownLog.info({ signal }, "signal received: shutting down");
      running.shutdown().then(
        (report) => process.exit(report.forced ? 1 : 0),
        (error: unknown) => {
          shutdownLog.error(errorFields(error, true), "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error) => {
  logger.fatal(errorFields(error, true), "handoff failed to start");
  process.stderr.write(`handoff failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
