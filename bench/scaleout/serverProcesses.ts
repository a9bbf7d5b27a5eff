// `npm start` processes for the scale-out figure: n servers on one data dir, each on its own port.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { sleep } from "../lib/clock.ts";
import { compiled, ensureProductionBuild } from "../lib/productionBuild.ts";

const mainFile = fileURLToPath(compiled(new URL("../../src/main.ts", import.meta.url)));

export interface ServerProcesses {
  urls: string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server ${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not yet listening
    }
    await sleep(100);
  }
  throw new Error(`server ${url} did not start`);
}

export async function startServerProcesses(count: number, dataDir: string, env: Record<string, string>): Promise<ServerProcesses> {
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  ensureProductionBuild();
  for (let i = 0; i < count; i += 1) {
    const port = await freePort();
    const child = spawn(process.execPath, [mainFile], {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "silent", JWT_SECRET: "bench-secret-bench-secret-0123", RATE_LIMITS: "off", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(child);
    urls.push(`http://127.0.0.1:${port}`);
  }
  await Promise.all(urls.map((url, i) => waitForHealth(url, children[i]!)));
  return {
    urls,
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
            }),
        ),
      );
    },
  };
}
