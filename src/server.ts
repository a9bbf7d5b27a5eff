// Starts handoff on a port: used by main.ts, by the HTTP and browser tests, and by the benchmarks.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Config } from "./config.ts";
import { openHandoff, type Handoff, type HandoffOverrides } from "./app/handoff.ts";
import { createApp } from "./http/app.ts";

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
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
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
