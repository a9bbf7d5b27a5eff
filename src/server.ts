// Starts handoff on a port: used by main.ts, by the HTTP and browser tests, and by the benchmarks.
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import type { Config, HttpLimitsConfig } from "./config.ts";
import { openHandoff, type Handoff, type HandoffOverrides } from "./app/handoff.ts";
import { openEventStore } from "./eventstore/openEventStore.ts";
import { createApp, createStreamRouter } from "./http/app.ts";
import { expressServerClasses } from "./http/expressPrototypes.ts";
import { answerFailure } from "./http/edge/failures.ts";
import { gracefulShutdown, trackRequests, type ShutdownReport } from "./shutdown.ts";

export interface RunningServer {
  handoff: Handoff;
  server: Server;
  url: string;
  /** Stops at once: open connections are cut (tests). */
  close(): Promise<void>;
  /** Stops gracefully (SIGTERM): see shutdown.ts. */
  shutdown(): Promise<ShutdownReport>;
}

/**
 * A request's head and then its whole body must arrive in time (a slow client holds a connection
 * otherwise); a stream's long life starts after its request was read, so these never end one. node
 * checks every connectionsCheckingInterval (30 s by default, which stretched a 60 s bound to 90 s).
 */
function connectionBounds(http: HttpLimitsConfig) {
  return {
    headersTimeout: http.headersTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs),
  };
}

export async function startServer(config: Config, overrides: HandoffOverrides = {}): Promise<RunningServer> {
  const handoff = openHandoff(config, { ...overrides, store: overrides.store ?? (await openEventStore(config)) });
  await handoff.runner.caughtUp;
  const app = createApp(handoff);
  const streams = createStreamRouter(handoff);
  // The event streams skip express (its per-request wrapping slows every write and outlives the request).
  const requests = trackRequests();
  const server = createServer({ ...expressServerClasses(app), ...connectionBounds(config.http) }, (req, res) => {
    requests.started(res);
    // Shutting down: answer what still arrives on an open connection, then close that connection.
    if (handoff.lifecycle.stopping) res.setHeader("Connection", "close");
    try {
      if (!streams.handle(req, res)) app(req, res);
    } catch (error) {
      answerFailure(error, req, res);
    }
  });
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  // Past the cap node closes a new connection at once: a flood cannot exhaust memory or descriptors.
  server.maxConnections = config.http.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  return {
    handoff,
    server,
    url: `http://${host}:${port}`,
    shutdown: () => gracefulShutdown({ handoff, server, requests, timeoutMs: config.shutdownTimeoutMs }),
    async close() {
      // Open event streams would keep the server from closing: end them first.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handoff.close();
    },
  };
}
