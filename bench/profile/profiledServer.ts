// A handoff server for profiling the write path: it prints its URL, then profiles (node:inspector)
// only between "start" and "stop" lines on stdin, so start-up and seeding stay out of the profile.
// On "stop" it writes the .cpuprofile into the given folder and prints its path and the CPU time used.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "../../src/config.ts";
import { startServer } from "../../src/server.ts";

const [dataDir, profileDir, durability = "full"] = process.argv.slice(2) as [string, string, string?];
const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, JWT_SECRET: "profile-secret-profile-secret-0123", STORE_DURABILITY: durability, LOG_LEVEL: "warn", RATE_LIMITS: "off" });
const running = await startServer(config);
const session = new Session();
session.connect();
let cpuAtStart = process.cpuUsage();
process.stdout.write(`${running.url}\n`);

createInterface({ input: process.stdin }).on("line", (line) => {
  void (async () => {
    if (line === "start") {
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 200 });
      await session.post("Profiler.start");
      cpuAtStart = process.cpuUsage();
      process.stdout.write("started\n");
    } else if (line === "stop") {
      const cpu = process.cpuUsage(cpuAtStart);
      const { profile } = await session.post("Profiler.stop");
      const file = join(profileDir, `send-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      process.stdout.write(`${JSON.stringify({ file, cpuMs: (cpu.user + cpu.system) / 1000, userMs: cpu.user / 1000, systemMs: cpu.system / 1000 })}\n`);
      await running.close();
      process.exit(0);
    }
  })();
});
