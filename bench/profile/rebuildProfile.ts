// node --import tsx bench/profile/rebuildProfile.ts [events=100000] [dir]
// Profiles a rebuild of the read models from zero, the way the server does at start (openHandoff
// until the runner has caught up), with node:inspector sampling only while it runs. The log is
// written once by bench/seed/giveawayHistory.ts into `dir` (kept, so runs before and after a change
// rebuild the same log; default: a fresh temp dir, removed). Prints events/s and where the time went.
// The summary behind docs/profiles/rebuild.md; raw profiles stay in the ignored bench/results/profiles.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openHandoff } from "../../src/app/handoff.ts";
import { loadConfig } from "../../src/config.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { summarizeProfile } from "../lib/profileSummary.ts";
import { eventsPerGiveaway, writeHistory } from "../seed/giveawayHistory.ts";

const events = Number(process.argv[2] ?? 100_000);
const keep = process.argv[3];
const dir = keep ?? mkdtempSync(join(tmpdir(), "handoff-rebuild-profile-"));
mkdirSync(dir, { recursive: true });
const eventsFile = join(dir, "events.db");
if (!existsSync(eventsFile)) {
  const shape = { entrantsPerGiveaway: 3, messagesPerGiveaway: 90, readEvery: 10 };
  const users = Math.max(50, Math.round(events / 500));
  const store = openSqliteEventStore({ file: eventsFile, durability: "normal" });
  await writeHistory(store, { users, giveaways: Math.ceil((events - 2 * users) / eventsPerGiveaway(shape)), ...shape });
  await store.close();
}
for (const suffix of ["", "-wal", "-shm"]) rmSync(join(dir, `readmodels.db${suffix}`), { force: true });

const config = loadConfig({ DATA_DIR: dir, JWT_SECRET: "profile-secret-profile-secret-0123", STORE_DURABILITY: "normal", LOG_LEVEL: "warn" });
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 500 });
await session.post("Profiler.start");
const cpuAtStart = process.cpuUsage();
const started = performance.now();
const handoff = openHandoff(config);
await handoff.runner.caughtUp;
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuAtStart);
const { profile } = await session.post("Profiler.stop");
const applied = handoff.readDb.prepare<[], { n: number }>("SELECT count(*) AS n FROM messages").get()!.n;
await handoff.close();
const profileDir = join("bench", "results", "profiles");
mkdirSync(profileDir, { recursive: true });
const file = join(profileDir, `rebuild-${process.pid}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));
if (!keep) rmSync(dir, { recursive: true, force: true });

const logEvents = events;
const summary = summarizeProfile(file, 45);
const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
console.log(`rebuild of about ${logEvents} events (${applied} messages in the read model): ${ms.toFixed(0)} ms = ${((logEvents / ms) * 1000).toFixed(0)} events/s; CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (user ${(cpu.user / 1000).toFixed(0)}, system ${(cpu.system / 1000).toFixed(0)})`);
console.log(`profile ${file}: ${summary.totalMs.toFixed(0)} ms sampled`);
console.log("-- self --");
for (const line of summary.self) console.log(`${percent(line.share)}  ${line.ms.toFixed(0).padStart(7)} ms  ${line.name}`);
console.log("-- inclusive --");
for (const line of summary.inclusive) console.log(`${percent(line.share)}  ${line.ms.toFixed(0).padStart(7)} ms  ${line.name}`);
