// Figure: scale-out on one machine. The same load against one `npm start` and against two on one
// DATA_DIR (embedded store, durable appends): closed-loop senders spread over the processes, and
// every conversation followed by streams spread over the processes too. Reports durable
// messages/s (acknowledged POSTs) and fan-out latency (send to each stream's frame), p50/p99.
// The driver shares the machine's cores with the servers; both runs pay that the same way.
import { fileURLToPath } from "node:url";
import { bearer, createConversations, createUsers, type BenchConversation } from "./drivers/handoffSetup.ts";
import { makeBenchDir } from "./lib/benchDir.ts";
import { sleep, wallNow } from "./lib/clock.ts";
import { keepAliveAgent, postJson } from "./lib/httpPost.ts";
import { benchDurability } from "./lib/machine.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { currentScale, type Scale } from "./lib/scale.ts";
import { openSse, type SseHandle as SseConnection } from "../test/support/sseClient.ts";
import { summarize } from "./lib/stats.ts";
import { startServerProcesses } from "./scaleout/serverProcesses.ts";

export interface ScaleOutRun {
  processes: number;
  durablePerSecond: number;
  sendP99: number;
  fanoutP50: number;
  fanoutP99: number;
  deliveries: number;
  streams: number;
  failedSends: number;
}

const conversations = 32;
const streamsPerParticipant = 2;
const senders = 32;

async function measure(processes: number, scale: Scale): Promise<ScaleOutRun> {
  const seconds = scale.name === "quick" ? 4 : 15;
  const dir = makeBenchDir("scaleout");
  const servers = await startServerProcesses(processes, dir.path, { STORE_DURABILITY: benchDurability() });
  const connections: SseConnection[] = [];
  try {
    const users = await createUsers(servers.urls[0]!, conversations + 1);
    const talks: BenchConversation[] = await createConversations(servers.urls[0]!, users, conversations);
    const fanout: number[] = [];
    let measuring = false;
    let opened = 0;
    // Streams spread over the processes; minRevision=2 (the draw) so a process that has not yet
    // projected the conversation waits for it instead of refusing.
    talks.forEach((talk, i) => {
      for (const [p, user] of [talk.giver, talk.winner].entries()) {
        for (let s = 0; s < streamsPerParticipant; s += 1) {
          const url = servers.urls[(i + p + s) % processes]!;
          connections.push(
            openSse({
              url: `${url}/api/giveaways/${talk.giveawayId}/stream?minRevision=2`,
              headers: bearer(user),
              now: wallNow,
              onOpen: () => (opened += 1),
              onFrame(frame, receivedAt) {
                if (!measuring || frame.event !== "message") return;
                const sentAt = Number(/^t=([\d.]+)/.exec((JSON.parse(frame.data) as { content: string }).content)?.[1]);
                if (sentAt > 0) fanout.push(receivedAt - sentAt);
              },
            }),
          );
        }
      }
    });
    while (opened < connections.length) await sleep(50);
    await sleep(500);

    const agent = keepAliveAgent(senders);
    const sendTimes: number[] = [];
    let acknowledged = 0;
    let failed = 0;
    let running = true;
    const loops = Array.from({ length: senders }, async (_, k) => {
      const talk = talks[k % talks.length]!;
      const url = `${servers.urls[k % processes]!}/api/giveaways/${talk.giveawayId}/messages`;
      const headers = bearer(k % 2 ? talk.giver : talk.winner);
      while (running) {
        const sentAt = wallNow();
        const result = await postJson(agent, url, headers, { content: `t=${sentAt.toFixed(3)}` }).catch(() => ({ status: 0, body: "" }));
        if (!measuring) continue;
        if (result.status === 201) {
          acknowledged += 1;
          sendTimes.push(wallNow() - sentAt);
        } else failed += 1;
      }
    });
    await sleep(1000); // warm-up, not counted
    measuring = true;
    const started = wallNow();
    await sleep(seconds * 1000);
    measuring = false;
    const elapsed = (wallNow() - started) / 1000;
    running = false;
    await Promise.all(loops);
    agent.destroy();
    const send = summarize(sendTimes);
    const delivered = summarize(fanout);
    return {
      processes,
      durablePerSecond: Math.round(acknowledged / elapsed),
      sendP99: round3(send.p99),
      fanoutP50: round3(delivered.p50),
      fanoutP99: round3(delivered.p99),
      deliveries: delivered.count,
      streams: connections.length,
      failedSends: failed,
    };
  } finally {
    for (const connection of connections) connection.close();
    await servers.stop();
    dir.remove();
  }
}

export async function runScaleOut(scale: Scale): Promise<ScaleOutRun[]> {
  const started = Date.now();
  const runs: ScaleOutRun[] = [];
  for (const processes of [1, 2]) {
    const run = await measure(processes, scale);
    runs.push(run);
    console.log(
      `${processes} process(es): ${run.durablePerSecond} durable msgs/s (send p99 ${run.sendP99} ms), fan-out p50 ${run.fanoutP50} ms p99 ${run.fanoutP99} ms over ${run.deliveries} deliveries to ${run.streams} streams, ${run.failedSends} failed`,
    );
  }
  saveFigure("scaleout", scale.name, (Date.now() - started) / 1000, runs);
  return runs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runScaleOut(currentScale());
  process.exit(0);
}
