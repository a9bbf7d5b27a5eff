// handoff as `npm start` runs it, PORT=0, its JSON log kept line by line (the URL comes from its "listening" line).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface LoggingServer {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** stdout's lines that parse as JSON (the structured log). */
  logLines(): Record<string, unknown>[];
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
}

export async function startLoggingServer(env: Record<string, string>): Promise<LoggingServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: "0", JWT_SECRET: "test-secret-test-secret-0123456789", STORE_DURABILITY: "normal", RATE_LIMITS: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const logLines = () =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const listening = await vi
    .waitFor(
      () => {
        const line = logLines().find((each) => typeof each.url === "string" && String(each.msg).startsWith("handoff listening"));
        if (!line) throw new Error("not listening yet");
        return line;
      },
      { timeout: 30_000, interval: 50 },
    )
    .catch((error: unknown) => {
      child.kill("SIGKILL");
      throw new Error(`the server did not start: ${String(error)}\n${stdout}${stderr}`);
    });
  return {
    url: String(listening.url),
    child,
    output: () => stdout + stderr,
    logLines,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
