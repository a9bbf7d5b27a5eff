// The profile scripts' server: profiledServer.ts, compiled as production runs it, in a child process
// over a data directory; profiling starts and stops on request, so set-up stays out of the profile.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { compiled, ensureProductionBuild } from "../lib/productionBuild.ts";

export interface ProfileResult {
  /** The .cpuprofile written (under bench/results/profiles, ignored by git). */
  file: string;
  cpuMs: number;
  userMs: number;
  systemMs: number;
}

export interface ProfiledServer {
  url: string;
  /** Starts the profiler (resolves once it runs). */
  startProfile(): Promise<void>;
  /** Stops it, stops the server and removes its data directory. */
  stopProfile(): Promise<ProfileResult>;
}

/** A fresh data directory for a server (seed it before starting the server, if the script needs history). */
export function profileDataDir(): string {
  return mkdtempSync(join(tmpdir(), "handoff-profile-"));
}

export async function startProfiledServer(durability: string, dataDir = profileDataDir()): Promise<ProfiledServer> {
  const profileDir = join("bench", "results", "profiles");
  mkdirSync(profileDir, { recursive: true });
  ensureProductionBuild();
  const server = spawn(process.execPath, [fileURLToPath(compiled(new URL("./profiledServer.ts", import.meta.url))), dataDir, profileDir, durability], {
    stdio: ["pipe", "pipe", "inherit"],
    // Its stdout is this protocol: no log lines in it (the logger reads LOG_LEVEL itself).
    env: { ...process.env, LOG_LEVEL: "warn" },
  });
  const lines = createInterface({ input: server.stdout! });
  const nextLine = () => new Promise<string>((resolve) => lines.once("line", resolve));
  const url = await nextLine();
  return {
    url,
    async startProfile() {
      server.stdin!.write("start\n");
      await nextLine();
    },
    async stopProfile() {
      server.stdin!.write("stop\n");
      const result = JSON.parse(await nextLine()) as ProfileResult;
      await new Promise((resolve) => server.once("exit", resolve));
      rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}
