// What the numbers were measured on: they mean little without it.
import { execSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** Open-file limit of the bench processes: each connection is a file descriptor on both ends. */
  openFilesLimit: string;
  storeDurability: string;
  /** 1-minute load average when the figure finished: other work on the machine shows here. */
  loadAverage: number;
  date: string;
}

/** The 1-minute load average now: figures sample it at every round, since other work moves every number. */
export function loadNow(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  let openFilesLimit = "unknown";
  try {
    openFilesLimit = execSync("ulimit -n", { shell: "/bin/sh", encoding: "utf8" }).trim();
  } catch {
    // not a POSIX shell: leave it unknown
  }
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    openFilesLimit,
    storeDurability: benchDurability(),
    loadAverage: loadNow(),
    date: new Date().toISOString(),
  };
}

/** The durability handoff is measured with: full (fsync on every group commit) unless told otherwise. */
export function benchDurability(): "full" | "normal" {
  const value = process.env.STORE_DURABILITY ?? "full";
  if (value !== "full" && value !== "normal") throw new Error(`STORE_DURABILITY must be full or normal, not ${value}`);
  return value;
}
