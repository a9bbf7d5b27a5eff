// node --import tsx bench/profile/fanoutProfile.ts [subscribers=100] [sends=1000] [intervalMs=5] [durability=full]
// Profiles fan-out: a handoff server holds `subscribers` SSE connections on one conversation (both
// participants, as the fan-out figure opens them) while one sender posts `sends` messages, one every
// `intervalMs`, profiled only while they run. Prints server CPU per message and where it goes.
// The summary behind docs/profiles/fan-out.md; raw profiles stay in the ignored bench/results/profiles.
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { createConversation, createUsers } from "../drivers/handoffSetup.ts";
import { keepAliveAgent, postJson } from "../lib/httpPost.ts";
import { summarizeProfile } from "../lib/profileSummary.ts";
import { startProfiledServer } from "./profiledServerProcess.ts";

const subscribers = Number(process.argv[2] ?? 100);
const sends = Number(process.argv[3] ?? 1000);
const intervalMs = Number(process.argv[4] ?? 5);
const durability = process.argv[5] ?? "full";
const server = await startProfiledServer(durability);
const { url } = server;
const [giver, winner] = await createUsers(url, 2);
const { giveawayId } = await createConversation(url, giver!, winner!);

// Each subscriber counts the frames it reads; nothing else is done with them.
let frames = 0;
const streams = await Promise.all(
  Array.from({ length: subscribers }, (_, i) =>
    new Promise<import("node:http").ClientRequest>((resolve, reject) => {
      const user = i % 2 === 0 ? giver! : winner!;
      const req = request(`${url}/api/giveaways/${giveawayId}/stream`, { headers: { Authorization: `Bearer ${user.token}`, Accept: "text/event-stream" } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          frames += chunk.match(/^id:/gm)?.length ?? 0;
        });
        resolve(req);
      });
      req.on("error", () => {});
      req.end();
    }),
  ),
);

const agent = keepAliveAgent(64);
async function send() {
  const result = await postJson(agent, `${url}/api/giveaways/${giveawayId}/messages`, { Authorization: `Bearer ${giver!.token}` }, { id: randomUUID(), content: "Saturday at ten, by the blue door?" });
  if (result.status !== 201) throw new Error(`send answered ${result.status}: ${result.body}`);
}
async function sendOnSchedule(count: number) {
  const pending: Promise<void>[] = [];
  const startedAt = performance.now();
  for (let i = 0; i < count; i += 1) {
    const due = startedAt + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(send());
  }
  await Promise.all(pending);
}

await sendOnSchedule(100); // warm-up
await sleep(200);
await server.startProfile();
const framesBefore = frames;
const startedAt = performance.now();
await sendOnSchedule(sends);
await sleep(200);
const seconds = (performance.now() - startedAt) / 1000;
const { file, cpuMs, userMs, systemMs } = await server.stopProfile();
for (const stream of streams) stream.destroy();
agent.destroy();

const summary = summarizeProfile(file, Number(process.env.LINES ?? 45));
const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
console.log(`${sends} messages, one every ${intervalMs} ms, to ${subscribers} streams, STORE_DURABILITY=${durability}: ${frames - framesBefore} frames read in ${seconds.toFixed(1)} s`);
console.log(`server CPU ${cpuMs.toFixed(0)} ms = ${(cpuMs / sends).toFixed(3)} ms per message (user ${(userMs / sends).toFixed(3)}, system ${(systemMs / sends).toFixed(3)})`);
console.log(`profile ${file}: ${summary.totalMs.toFixed(0)} ms sampled`);
console.log("-- self --");
for (const line of summary.self) console.log(`${percent(line.share)}  ${(line.ms / sends).toFixed(4).padStart(8)} ms/msg  ${line.name}`);
console.log("-- inclusive --");
for (const line of summary.inclusive) console.log(`${percent(line.share)}  ${(line.ms / sends).toFixed(4).padStart(8)} ms/msg  ${line.name}`);
