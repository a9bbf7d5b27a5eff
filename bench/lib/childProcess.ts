// Servers and drivers run in their own processes, so no two share an event loop. The orchestrator
// forks them with tsx and talks to them by request/reply over IPC ("advanced" serialization
// carries typed arrays of samples). Every request has a deadline, and a worker exits when its
// parent goes away, so nothing outlives a run.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { wallNow } from "./clock.ts";

type Handler = (payload: any) => unknown;

interface Request {
  id: number;
  type: string;
  payload: unknown;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string } | { ready: true; info: unknown };

export interface Worker {
  readonly pid: number;
  readonly info: any;
  /** Wall clock of this worker minus the orchestrator's (ms); subtract to convert its times. */
  readonly clockOffset: number;
  request<T = any>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the worker to stop, then kills it if it has not exited in time. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface ForkOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Extra node flags, e.g. --expose-gc or --cpu-prof. */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
}

export async function forkWorker(moduleUrl: URL | string, options: ForkOptions = {}): Promise<Worker> {
  const file = typeof moduleUrl === "string" ? moduleUrl : fileURLToPath(moduleUrl);
  const child = fork(file, options.args ?? [], {
    // A compiled .js file (dist/) runs on plain node, as in production; TypeScript goes through tsx.
    execArgv: [...(file.endsWith(".js") ? [] : ["--import", "tsx"]), ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = true;
      for (const { reject, timer } of pending.values()) {
        clearTimeout(timer);
        reject(new Error(`worker ${file} exited (${code ?? signal})`));
      }
      pending.clear();
      resolve();
    }),
  );

  const info = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`worker ${file} not ready in time`));
    }, options.readyTimeoutMs ?? 120_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${file} exited before ready (${code})`));
    });
    child.on("message", (message: Reply) => {
      if ("ready" in message) {
        clearTimeout(timer);
        resolve(message.info);
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(`worker ${file}: ${message.error}`));
    });
  });

  function request<T>(type: string, payload?: unknown, timeoutMs = 300_000): Promise<T> {
    if (exited) return Promise.reject(new Error(`worker ${file} has exited`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`worker ${file}: ${type} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      child.send({ id, type, payload } satisfies Request);
    });
  }

  const clockOffset = await estimateClockOffset(() => request<number>("clock"));

  return {
    pid: child.pid!,
    info,
    clockOffset,
    request,
    async stop(timeoutMs = 30_000) {
      if (exited) return;
      request("stop", undefined, timeoutMs).catch(() => {});
      const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exit;
      clearTimeout(killer);
    },
  };
}

/** The worker's clock minus ours, from the round trip with the least delay (NTP's idea). */
async function estimateClockOffset(readRemote: () => Promise<number>): Promise<number> {
  let best = { delay: Infinity, offset: 0 };
  for (let i = 0; i < 15; i++) {
    const sent = wallNow();
    const remote = await readRemote();
    const received = wallNow();
    if (received - sent < best.delay) best = { delay: received - sent, offset: remote - (sent + received) / 2 };
  }
  return best.offset;
}

/**
 * The worker's side: answers requests with `handlers`, plus `clock`, `rss`, `gc` and `stop`.
 * Call once the worker is ready; `info` goes to the orchestrator (a server's url, say).
 */
export function serveParent(handlers: Record<string, Handler>, info: unknown = {}, onStop?: () => Promise<void> | void): void {
  if (!process.send) throw new Error("this module runs as a forked worker of a bench script");
  const send = (reply: Reply) => process.send!(reply);
  const builtIn: Record<string, Handler> = {
    clock: () => wallNow(),
    rss: () => process.memoryUsage().rss,
    memory: () => process.memoryUsage(),
    /** For finding where memory goes: a V8 heap snapshot, to be read with heapSummary.ts. */
    heapSnapshot: async ({ file }: { file: string }) => (await import("node:v8")).writeHeapSnapshot(file),
    /** CPU time used so far (user + system), ms. */
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    gc: () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      return Boolean(gc);
    },
    stop: async () => {
      await onStop?.();
      // Reply first, then leave: --cpu-prof writes its profile on a normal exit.
      setImmediate(() => process.exit(0));
      return true;
    },
  };
  process.on("message", async (request: Request) => {
    const handler = handlers[request.type] ?? builtIn[request.type];
    try {
      if (!handler) throw new Error(`no handler for ${request.type}`);
      send({ id: request.id, ok: true, result: await handler(request.payload) });
    } catch (error) {
      send({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  // The orchestrator is gone (finished, crashed, interrupted): so is this worker.
  process.on("disconnect", () => process.exit(0));
  send({ ready: true, info });
}
