// Clients for the chaos run: a follower that reconnects like EventSource to whichever process is
// up, and a sender that retries with the same message id until a process acknowledges it.
import { randomUUID } from "node:crypto";
import type { SignedInUser } from "../http/apiFixtures.ts";
import { connectSse, messagesIn, type SseConnection } from "../support/sseClient.ts";
import type { ServerProcess } from "../support/serverProcess.ts";

/** The processes of the run; a slot is undefined while its process is down. */
export class Cluster {
  constructor(readonly servers: (ServerProcess | undefined)[]) {}
  anyLive(): ServerProcess | undefined {
    const up = this.servers.filter((server): server is ServerProcess => server !== undefined);
    return up[Math.floor(Math.random() * up.length)];
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows the conversation like EventSource: on any drop, reconnects to a process that is up with Last-Event-ID. */
export function follow(servers: Cluster, user: SignedInUser, giveawayId: string) {
  let stopping = false;
  let server: ServerProcess | undefined;
  const received: { id: string; revision: number }[] = [];
  let current: SseConnection | undefined;
  let lastEventId = "-1";
  let reconnects = 0;
  const take = (connection: SseConnection, from: number) => {
    const frames = connection.events.filter((e) => e.event === "message").slice(from);
    for (const message of messagesIn(frames)) received.push({ id: message.id, revision: message.revision });
    if (frames.length > 0) lastEventId = frames.at(-1)!.id!;
    return from + frames.length;
  };
  const loop = (async () => {
    while (!stopping) {
      server = servers.anyLive();
      if (!server) {
        await sleep(100);
        continue;
      }
      try {
        current = await connectSse(`${server.url}/api/giveaways/${giveawayId}/stream`, { ...user.auth, "Last-Event-ID": lastEventId });
      } catch {
        await sleep(100);
        continue;
      }
      if (current.status !== 200) {
        current.close();
        await sleep(100);
        continue;
      }
      let taken = 0;
      let ended = false;
      void current.ended.then(() => (ended = true));
      while (!ended && !stopping) {
        taken = take(current, taken);
        await sleep(20);
      }
      take(current, taken);
      reconnects += 1;
    }
  })();
  return {
    received,
    reconnects: () => reconnects,
    /** The process it is connected to now. */
    server: () => server,
    async stop() {
      stopping = true;
      current?.close();
      await loop;
    },
  };
}

/** Sends one message, retrying with the same id on another process until it is acknowledged. */
export async function sendUntilAcknowledged(servers: Cluster, from: SignedInUser, giveawayId: string, content: string, deadline: number) {
  const id = randomUUID();
  while (Date.now() < deadline) {
    const server = servers.anyLive();
    if (server) {
      try {
        const response = await fetch(`${server.url}/api/giveaways/${giveawayId}/messages`, {
          method: "POST",
          headers: { ...from.auth, "Content-Type": "application/json" },
          body: JSON.stringify({ id, content }),
        });
        if (response.status === 201 || response.status === 200) return { id, revision: ((await response.json()) as { revision: number }).revision };
      } catch {
        // the process died under us: try another
      }
    }
    await sleep(50);
  }
  throw new Error(`message ${id} was never acknowledged`);
}

