// node --import tsx bench/profile/gcPerRequest.ts [seconds=4] [phases=health,send,read,health,send]
// What each request leaves to the garbage collector: the compiled server runs with --trace-gc-nvp in
// its own process; 16 keep-alive clients in this one run each phase (GET /healthz, a send, a read of
// one message) for `seconds`, and the server's main-thread collections are summed per phase: young
// collections (scavenges) and their pauses, bytes allocated, bytes that outlived a scavenge and were
// promoted to the old generation, per request. The summary behind docs/profiles/write-path.md (sixth pass).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createConversations, createUsers } from "../drivers/handoffSetup.ts";
import { getJson, keepAliveAgent, postJson } from "../lib/httpPost.ts";
import { compiled, ensureProductionBuild } from "../lib/productionBuild.ts";
import { profileDataDir } from "./profiledServerProcess.ts";

const seconds = Number(process.argv[2] ?? 4);
const phases = (process.argv[3] ?? "health,send,read,health,send").split(",");
const clients = 16;

ensureProductionBuild();
const dataDir = profileDataDir();
const profileDir = join("bench", "results", "profiles");
mkdirSync(profileDir, { recursive: true });
const server = spawn(process.execPath, ["--trace-gc-nvp", fileURLToPath(compiled(new URL("./profiledServer.ts", import.meta.url))), dataDir, profileDir, "full"], {
  stdio: ["pipe", "pipe", "inherit"],
  env: { ...process.env, LOG_LEVEL: "warn" },
});

/** One line of --trace-gc-nvp: `[pid:isolate] t ms: pause=… gc=s …` (gc=s: a scavenge; others: mark-compact). */
interface GcLine {
  isolate: string;
  fields: Record<string, string>;
}
const collections: GcLine[] = [];
let resolveUrl: (url: string) => void;
const urlLine = new Promise<string>((resolve) => (resolveUrl = resolve));
createInterface({ input: server.stdout! }).on("line", (line) => {
  const gc = /^\[(\d+:0x[0-9a-f]+)\]\s+[\d.]+ ms: (.*)$/.exec(line);
  if (!gc) return void (line.startsWith("http") && resolveUrl(line));
  const fields: Record<string, string> = {};
  for (const pair of gc[2]!.split(" ")) {
    const at = pair.indexOf("=");
    if (at > 0) fields[pair.slice(0, at)] = pair.slice(at + 1);
  }
  collections.push({ isolate: gc[1]!, fields });
});
const url = await urlLine;
// The main thread's isolate logs first (the store's and checkpointers' worker threads start later).
const mainIsolate = () => collections[0]?.isolate;

const users = await createUsers(url, 2);
const [conversation] = await createConversations(url, users, 1);
const { giveawayId, giver } = conversation!;
const auth = { Authorization: `Bearer ${giver.token}` };
const agent = keepAliveAgent(clients);

async function request(phase: string): Promise<number> {
  if (phase === "health") return (await getJson(`${url}/healthz`)).status;
  if (phase === "read") return (await getJson(`${url}/api/giveaways/${giveawayId}/messages?limit=1`, auth)).status;
  return (await postJson(agent, `${url}/api/giveaways/${giveawayId}/messages`, auth, { id: randomUUID(), content: "Saturday at ten, by the blue door?" })).status;
}

const sum = (lines: GcLine[], field: string) => lines.reduce((total, line) => total + Number(line.fields[field] ?? 0), 0);
console.log(`${clients} keep-alive clients, ${seconds} s a phase, the server compiled, STORE_DURABILITY=full`);
for (const phase of phases) {
  const from = collections.length;
  const ends = Date.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < ends) {
        const status = await request(phase);
        if (status >= 400) failed += 1;
        done += 1;
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 100)); // the last lines of the phase
  const main = collections.slice(from).filter((line) => line.isolate === mainIsolate());
  const scavenges = main.filter((line) => line.fields.gc === "s");
  const majors = main.filter((line) => line.fields.gc !== "s");
  const perRequest = (bytes: number) => `${Math.round(bytes / done)} B`;
  console.log(
    `${phase.padEnd(6)} ${Math.round(done / seconds)} req/s (${failed} failed) | scavenges ${scavenges.length}, paused ${sum(scavenges, "pause").toFixed(0)} ms | ` +
      `per request: allocated ${perRequest(sum(scavenges, "allocated"))}, survived ${perRequest(sum(scavenges, "new_space_survived"))}, promoted ${perRequest(sum(scavenges, "promoted"))} | ` +
      `mark-compacts ${majors.length}, paused ${sum(majors, "pause").toFixed(0)} ms`,
  );
}
agent.destroy();
server.kill("SIGTERM");
await new Promise((resolve) => server.once("exit", resolve));
rmSync(dataDir, { recursive: true, force: true });
