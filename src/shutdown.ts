// Graceful shutdown (SIGTERM, SIGINT): stop accepting, tell every open stream to reconnect soon,
// answer every request in flight, let the projections finish their batch, close the store.
// Whatever is still open when the time is up is cut, so the process always ends in bounded time.
import type { Server, ServerResponse } from "node:http";
import type { Handoff } from "./app/handoff.ts";
import { componentLogger } from "./observability/logger.ts";

/** How soon a stream client should come back (to another process, or this one restarted). */
export const shutdownRetryMs = 1000;

export interface RequestTracker {
  started(res: ServerResponse): void;
  /** Requests being answered (open streams included, until they end). */
  readonly inFlight: number;
  /** Resolves when none is left. */
  idle(): Promise<void>;
}

export function trackRequests(): RequestTracker {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  // One listener for every response (node emits a response's close once): no closure per open stream.
  const ended = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const wake of waiters.splice(0)) wake();
  };
  return {
    started(res) {
      inFlight += 1;
      res.on("close", ended);
    },
    get inFlight() {
      return inFlight;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

export interface ShutdownReport {
  /** From the start of the shutdown until every request was answered and the store was closed. */
  drainMs: number;
  requestsInFlight: number;
  streamsEnded: number;
  /** True when the time ran out and open connections were cut. */
  forced: boolean;
}

const log = componentLogger("shutdown");

export async function gracefulShutdown(options: { handoff: Handoff; server: Server; requests: RequestTracker; timeoutMs: number }): Promise<ShutdownReport> {
  const { handoff, server, requests } = options;
  const started = performance.now();
  handoff.lifecycle.beginStopping();
  const requestsInFlight = requests.inFlight;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const streamsEnded = handoff.openStreams.shutdownAll(shutdownRetryMs);
  log.info({ requestsInFlight, streamsEnded, timeoutMs: options.timeoutMs }, "shutting down: no new connections; answering the requests in flight");

  // Keep-alive connections with nothing in flight close now; the others once their answer is out.
  server.closeIdleConnections();
  const idleCloser = setInterval(() => server.closeIdleConnections(), 25);
  // Most of the time goes to requests; the rest is kept for the projections and the store.
  const drainBudget = Math.max(50, Math.floor(options.timeoutMs * 0.8));
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), drainBudget)));
  const drained = await Promise.race([Promise.all([closed, requests.idle()]).then(() => "drained" as const), outOfTime]);
  clearTimeout(timer);
  clearInterval(idleCloser);
  const forced = drained === "timeout";
  if (forced) {
    log.warn({ requestsLeft: requests.inFlight }, "shutdown: time is up, cutting the connections still open");
    server.closeAllConnections();
  }
  // The runner finishes its batch, then the store and the read models close.
  await handoff.close();
  const report = { drainMs: Math.round(performance.now() - started), requestsInFlight, streamsEnded, forced };
  log.info(report, "shutdown complete");
  return report;
}
