// node --import tsx bench/profile/sendProfile.ts [sends=3000] [senders=8] [durability=normal] [history=0] [conversations=1]
// Profiles the write path: a handoff server takes `sends` POSTs of one message on one conversation
// (which already holds `history` messages) from `senders` closed-loop senders, profiled only while
// (with `conversations` > 1, sender i writes to conversation i mod conversations; the history goes to the first)
// they run. Prints CPU time per send and where it goes (self and inclusive), grouped by layer.
// The summary behind docs/profiles/write-path.md; raw profiles stay in the ignored bench/results/profiles.
import { randomUUID } from "node:crypto";
import { createConversations, createUsers } from "../drivers/handoffSetup.ts";
import { keepAliveAgent, postJson } from "../lib/httpPost.ts";
import { summarizeProfile } from "../lib/profileSummary.ts";
import { startProfiledServer } from "./profiledServerProcess.ts";

const sends = Number(process.argv[2] ?? 3000);
const senders = Number(process.argv[3] ?? 8);
const durability = process.argv[4] ?? "normal";
const history = Number(process.argv[5] ?? 0);
const conversationCount = Number(process.argv[6] ?? 1);
// The server as production runs it: compiled (dist/), on plain node.
const server = await startProfiledServer(durability);
const { url } = server;
const users = await createUsers(url, 2);
const conversations = await createConversations(url, users, conversationCount);
const agent = keepAliveAgent(senders);

async function sendAll(count: number, spread: boolean) {
  let sent = 0;
  await Promise.all(
    Array.from({ length: senders }, async (_, sender) => {
      const { giveawayId, giver } = conversations[spread ? sender % conversations.length : 0]!;
      while (sent < count) {
        sent += 1;
        const result = await postJson(agent, `${url}/api/giveaways/${giveawayId}/messages`, { Authorization: `Bearer ${giver.token}` }, {
          id: randomUUID(),
          content: "Saturday at ten, by the blue door?",
        });
        if (result.status !== 201) throw new Error(`send answered ${result.status}: ${result.body}`);
      }
    }),
  );
}

await sendAll(history, false); // the history
await sendAll(Number(process.env.WARMUP ?? 200), true); // a warm-up (JIT, caches); WARMUP=n sets its sends
await server.startProfile();
const startedAt = performance.now();
await sendAll(sends, true);
const seconds = (performance.now() - startedAt) / 1000;
const { file, cpuMs, userMs, systemMs } = await server.stopProfile();
agent.destroy();

const summary = summarizeProfile(file, 40);
const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
console.log(`${sends} sends on ${conversationCount} conversation(s) (the first already at ${history} messages), ${senders} senders, STORE_DURABILITY=${durability}`);
console.log(`${(sends / seconds).toFixed(0)} msgs/s; server CPU ${cpuMs.toFixed(0)} ms = ${(cpuMs / sends).toFixed(3)} ms per send (user ${(userMs / sends).toFixed(3)}, system ${(systemMs / sends).toFixed(3)})`);
console.log(`profile ${file}: ${summary.totalMs.toFixed(0)} ms sampled`);
console.log("-- self --");
for (const line of summary.self) console.log(`${percent(line.share)}  ${(line.ms / sends).toFixed(4).padStart(8)} ms/send  ${line.name}`);
console.log("-- inclusive --");
for (const line of summary.inclusive) console.log(`${percent(line.share)}  ${(line.ms / sends).toFixed(4).padStart(8)} ms/send  ${line.name}`);
