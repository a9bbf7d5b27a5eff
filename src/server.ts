// Starts handoff on a port: used by main.ts, by the HTTP and browser tests, and by the benchmarks.
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import type { Config } from "./config.ts";
import { openHandoff, type Handoff, type HandoffOverrides } from "./app/handoff.ts";
import { createApp, createStreamRouter } from "./http/app.ts";
import { answerFailure } from "./http/edge/failures.ts";

export interface RunningServer {
  handoff: Handoff;
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config, overrides: HandoffOverrides = {}): Promise<RunningServer> {
  const handoff = openHandoff(config, overrides);
  await handoff.runner.caughtUp;
  const app = createApp(handoff);
  const streams = createStreamRouter(handoff);
  // The event streams skip express (its per-request wrapping slows every write and outlives the request).
  const server = createServer((req, res) => {
    try {
      if (!streams.handle(req, res)) app(req, res);
    } catch (error) {
      answerFailure(error, req, res);
    }
  });
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
    async close() {
      // Open event streams would keep the server from closing: end them first.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handoff.close();
    },
  };
}
