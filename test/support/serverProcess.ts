// A real `npm start` in a child process (node --import tsx src/main.ts) on a free loopback port,
// for the tests where processes share a data dir, die by SIGKILL and are started again.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const mainFile = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

export interface ServerProcess {
  url: string;
  port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Output so far (for failure messages): its last 20,000 characters. */
  output(): string;
  /** The output's lines but the request log's, so a busy test's requests cannot push what the server said out of the window. */
  outputBesidesRequests(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before serving:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server at ${url} did not answer /healthz within ${timeoutMs} ms:\n${output()}`);
}

/** `main`: another entry point, e.g. a compiled dist/src/main.js, which runs on plain node. */
export async function startServerProcess(options: { dataDir: string; env?: Record<string, string>; port?: number; timeoutMs?: number; main?: string }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const main = options.main ?? mainFile;
  const child = spawn(process.execPath, main.endsWith(".js") ? [main] : ["--import", "tsx", main], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: options.dataDir,
      JWT_SECRET: "test-secret-test-secret-0123456789",
      STORE_DURABILITY: "normal",
      // Off unless a test turns them on: see testServer.ts.
      RATE_LIMITS: "off",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  let besidesRequests = "";
  const take = (chunk: Buffer) => {
    text = (text + chunk).slice(-20_000);
    const lines = String(chunk).split("\n").filter((line) => line !== "" && !line.includes('"msg":"request"'));
    if (lines.length > 0) besidesRequests = `${besidesRequests}${lines.join("\n")}\n`.slice(-20_000);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, child, () => text, options.timeoutMs ?? 90_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    port,
    child,
    exited,
    output: () => text,
    outputBesidesRequests: () => besidesRequests,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
