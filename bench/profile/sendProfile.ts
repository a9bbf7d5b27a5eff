// npm run bench:profile-send (or node --import tsx bench/profile/sendProfile.ts [sends] [senders])
// Profiles the write path: a server under --cpu-prof takes `sends` POSTs of one message on one
// conversation from `senders` closed-loop senders, then the profile is summarised (summary in
// docs/profiles/write-path.md; raw profiles stay under the ignored bench results folder).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { createConversation, createUsers } from "../drivers/handoffSetup.ts";
import { keepAliveAgent, postJson } from "../lib/httpPost.ts";
import { summarizeProfile } from "../lib/profileSummary.ts";

const sends = Number(process.argv[2] ?? 4000);
const senders = Number(process.argv[3] ?? 8);
const dataDir = mkdtempSync(join(tmpdir(), "handoff-profile-"));
const profileDir = join("bench", "results", "profiles", `send-${Date.now()}`);
mkdirSync(profileDir, { recursive: true });

const server = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--import", "tsx", "bench/profile/profiledServer.ts", dataDir], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once("line", resolve));
const [giver, winner] = await createUsers(url, 2);
const { giveawayId } = await createConversation(url, giver!, winner!);
const agent = keepAliveAgent(senders);
let sent = 0;
const started = process.cpuUsage();
const startedAt = performance.now();
await Promise.all(
  Array.from({ length: senders }, async () => {
    while (sent < sends) {
      sent += 1;
      const result = await postJson(agent, `${url}/api/giveaways/${giveawayId}/messages`, { Authorization: `Bearer ${giver!.token}` }, {
        id: randomUUID(),
        content: "Saturday at ten, by the blue door?",
      });
      if (result.status !== 201) throw new Error(`send answered ${result.status}: ${result.body}`);
    }
  }),
);
const seconds = (performance.now() - startedAt) / 1000;
void started;
server.kill("SIGINT");
await new Promise((resolve) => server.once("exit", resolve));
rmSync(dataDir, { recursive: true, force: true });
agent.destroy();

const file = join(profileDir, readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"))!);
const summary = summarizeProfile(file, 40);
console.log(`${sends} sends by ${senders} senders in ${seconds.toFixed(1)} s: ${(sends / seconds).toFixed(0)} msgs/s; profile ${file}`);
console.log(`server profile total ${summary.totalMs.toFixed(0)} ms`);
console.log("-- self --");
for (const line of summary.self) console.log(`${(line.share * 100).toFixed(1).padStart(5)}%  ${line.ms.toFixed(0).padStart(7)} ms  ${line.name}`);
console.log("-- inclusive --");
for (const line of summary.inclusive) console.log(`${(line.share * 100).toFixed(1).padStart(5)}%  ${line.ms.toFixed(0).padStart(7)} ms  ${line.name}`);
