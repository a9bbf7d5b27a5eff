// node --import tsx bench/profile/longConversationProfile.ts [messages=100000] [sends=5] [senders=1] [warm=0]
// Profiles sends on a conversation that already holds `messages` messages, on a server that has
// just started over that store. With warm=0 the first send is profiled with its load of the whole
// conversation (what the first send after a restart waits for); with warm=n, n sends go first and
// `sends` sends from `senders` closed-loop senders are profiled (the steady state). Prints the
// answer times and where the server's time went.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { signIn } from "../drivers/handoffSetup.ts";
import { keepAliveAgent, postJson } from "../lib/httpPost.ts";
import { summarizeProfile } from "../lib/profileSummary.ts";
import { writeHistory } from "../seed/giveawayHistory.ts";
import { profileDataDir, startProfiledServer } from "./profiledServerProcess.ts";

const messages = Number(process.argv[2] ?? 100_000);
const sends = Number(process.argv[3] ?? 5);
const senders = Number(process.argv[4] ?? 1);
const warm = Number(process.argv[5] ?? 0);
const dataDir = profileDataDir();

const store = openSqliteEventStore({ file: join(dataDir, "events.db"), durability: "normal" });
const history = await writeHistory(store, { users: 2, giveaways: 1, entrantsPerGiveaway: 1, messagesPerGiveaway: messages, readEvery: 0 });
await store.close();
const [giveaway] = history.giveaways;

const server = await startProfiledServer("normal", dataDir);
const { url } = server;
const token = await signIn(url, giveaway!.giver.username);
const agent = keepAliveAgent(senders);

async function sendAll(count: number): Promise<number[]> {
  const answers: number[] = [];
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (answers.length < count) {
        const startedAt = performance.now();
        answers.push(0);
        const at = answers.length - 1;
        const result = await postJson(agent, `${url}/api/giveaways/${giveaway!.giveawayId}/messages`, { Authorization: `Bearer ${token}` }, { id: randomUUID(), content: "Still on for Saturday?" });
        if (result.status !== 201) throw new Error(`send answered ${result.status}: ${result.body}`);
        answers[at] = performance.now() - startedAt;
      }
    }),
  );
  return answers;
}

await sendAll(warm);
await server.startProfile();
const startedAt = performance.now();
const answers = await sendAll(sends);
const seconds = (performance.now() - startedAt) / 1000;
const { file, cpuMs } = await server.stopProfile();
agent.destroy();

const summary = summarizeProfile(file, Number(process.env.LINES ?? 30));
const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
const sorted = [...answers].sort((a, b) => a - b);
const shown = sends <= 10 ? answers.map((ms) => ms.toFixed(1)).join(", ") : `p50 ${sorted[Math.floor(sends / 2)]!.toFixed(1)}, p99 ${sorted[Math.floor(sends * 0.99)]!.toFixed(1)}, max ${sorted[sends - 1]!.toFixed(1)}`;
console.log(`${sends} sends (${senders} senders, after ${warm}) on a conversation of ${messages} messages: ${(sends / seconds).toFixed(0)} msgs/s, answers ${shown} ms; server CPU ${cpuMs.toFixed(0)} ms = ${(cpuMs / sends).toFixed(3)} ms per send`);
console.log(`profile ${file}: ${summary.totalMs.toFixed(0)} ms sampled`);
console.log("-- self --");
for (const line of summary.self) console.log(`${percent(line.share)}  ${line.ms.toFixed(1).padStart(8)} ms  ${line.name}`);
console.log("-- inclusive --");
for (const line of summary.inclusive) console.log(`${percent(line.share)}  ${line.ms.toFixed(1).padStart(8)} ms  ${line.name}`);
