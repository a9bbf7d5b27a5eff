// SIGTERM under load, on a real server process: every request the server took is answered, every
// 201 is in the store, every open stream gets a last frame with a short retry, and the process exits 0.
// "Took": the server answered `100 Continue`, so it had the request; connections it refused don't count.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { request as httpRequest, get as httpGet } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { giveawayStream } from "../../src/domain/streams.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { drawnGiveaway, type Conversation, type SignedInUser } from "../http/apiFixtures.ts";
import type { TestServer } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

interface Outcome {
  accepted: boolean;
  status?: number;
  error?: string;
  messageId: string;
}

/** A send that waits for the server's `100 Continue` before its body goes (held back until `release`). */
function send(url: string, from: SignedInUser, giveawayId: string, release: Promise<void> = Promise.resolve()) {
  const messageId = randomUUID();
  const body = JSON.stringify({ content: `load ${messageId}`, id: messageId });
  let markContinued: () => void = () => {};
  const continued = new Promise<void>((resolve) => (markContinued = resolve));
  let accepted = false;
  const req = httpRequest(`${url}/api/giveaways/${giveawayId}/messages`, {
    method: "POST",
    agent: false,
    headers: { ...from.auth, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Expect: "100-continue" },
  });
  const outcome = new Promise<Outcome>((resolve) => {
    req.on("continue", () => {
      accepted = true;
      markContinued();
      void release.then(() => req.end(body));
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ accepted: true, status: res.statusCode, messageId }));
      res.on("error", (error) => resolve({ accepted, error: (error as NodeJS.ErrnoException).code ?? error.message, messageId }));
    });
    req.on("error", (error) => resolve({ accepted, error: (error as NodeJS.ErrnoException).code ?? error.message, messageId }));
  });
  req.flushHeaders();
  return { continued, outcome };
}

interface OpenStream {
  text: string;
  ended: Promise<"end" | string>;
  started: Promise<void>;
}

function openStream(url: string, path: string, user: SignedInUser): OpenStream {
  const stream: Partial<OpenStream> & { text: string } = { text: "" };
  let markStarted: () => void = () => {};
  stream.started = new Promise((resolve) => (markStarted = resolve));
  stream.ended = new Promise((resolve) => {
    const req = httpGet(`${url}${path}`, { agent: false, headers: { ...user.auth, Accept: "text/event-stream" } }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        stream.text += chunk;
        if (stream.text.includes("retry:")) markStarted();
      });
      res.on("end", () => resolve("end"));
      res.on("error", (error) => resolve(`error ${error.message}`));
    });
    req.on("error", (error) => resolve(`error ${error.message}`));
  });
  return stream as OpenStream;
}

function startServerProcess(dataDir: string): { child: ChildProcess; url: Promise<string>; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, JWT_SECRET: "test-secret-test-secret-0123456789", STORE_DURABILITY: "normal", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (found) resolve(found[0]);
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("exit", () => reject(new Error(`server exited before listening:\n${output}`)));
  });
  url.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, output: () => output, exited };
}

describe("SIGTERM under load", () => {
  const dir = makeTempDir("shutdown");
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    dir.remove();
  });

  it("answers every request it took, stores every 201, ends every stream with a retry hint, and exits 0", { timeout: 180_000 }, async () => {
    const server = startServerProcess(dir.path);
    child = server.child;
    const url = await server.url;
    const conversation: Conversation = await drawnGiveaway({ url } as TestServer);
    const { giveawayId, giver, winner } = conversation;

    // 20 open streams: the conversation and the notifications, for both people.
    const streams: OpenStream[] = [];
    for (let i = 0; i < 5; i++) {
      for (const user of [giver, winner]) {
        streams.push(openStream(url, `/api/giveaways/${giveawayId}/stream?after=-1`, user));
        streams.push(openStream(url, "/api/me/stream", user));
      }
    }
    await Promise.all(streams.map((stream) => stream.started));

    // 8 sends the server has taken, whose bodies only arrive after the signal.
    let releaseBodies: () => void = () => {};
    const bodiesReleased = new Promise<void>((resolve) => (releaseBodies = resolve));
    const held = Array.from({ length: 8 }, (_, i) => send(url, i % 2 ? giver : winner, giveawayId, bodiesReleased));
    await Promise.all(held.map((each) => each.continued));

    // And 4 senders in a loop until the server stops taking requests.
    const outcomes: Outcome[] = [];
    let answered = 0;
    const sender = async (from: SignedInUser) => {
      for (let i = 0; i < 2000; i++) {
        const outcome = await send(url, from, giveawayId).outcome;
        outcomes.push(outcome);
        if (outcome.status !== undefined) answered += 1;
        if (!outcome.accepted) return;
      }
    };
    const senders = Promise.all([giver, winner, giver, winner].map(sender));
    await expect.poll(() => answered, { timeout: 60_000 }).toBeGreaterThanOrEqual(20);

    const signalled = performance.now();
    server.child.kill("SIGTERM");
    releaseBodies();
    const code = await server.exited;
    const exitMs = Math.round(performance.now() - signalled);
    await senders;
    const heldOutcomes = await Promise.all(held.map((each) => each.outcome));

    expect(code, server.output()).toBe(0);
    // Every request the server took got its answer: the held ones and the loop's.
    expect(heldOutcomes.map((o) => o.status)).toEqual(Array(8).fill(201));
    const taken = outcomes.filter((o) => o.accepted);
    expect(taken.filter((o) => o.status === undefined)).toEqual([]);
    expect(taken.every((o) => o.status === 201)).toBe(true);
    // Every open stream ended cleanly with a last frame that says to come back soon.
    for (const stream of streams) {
      expect(await stream.ended).toBe("end");
      expect(stream.text).toMatch(/retry: 1000\nevent: shutdown\ndata: [^\n]+\n\n$/);
    }
    const complete = /"drainMs":(\d+)/.exec(server.output());
    expect(complete, server.output()).not.toBeNull();
    if (process.env.SHOW_DRAIN) {
      process.stdout.write(`shutdown: drain ${complete![1]} ms, signal to exit ${exitMs} ms, ${taken.length + 8} requests answered, ${streams.length} streams\n`);
    }

    // Every 201 is in the store, opened again after the process is gone.
    const store = openSqliteEventStore({ file: join(dir.path, "events.db") });
    try {
      const stored = new Set((await store.readStream(giveawayStream(giveawayId))).map((event) => (event.data as { messageId?: string }).messageId));
      const created = [...heldOutcomes, ...taken].filter((o) => o.status === 201).map((o) => o.messageId);
      expect(created.length).toBeGreaterThanOrEqual(28);
      expect(created.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
