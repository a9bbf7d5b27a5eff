// Issue 24: two `npm start` processes on one data dir, each projecting the log into read models of
// its own. A giveaway created and drawn through A is read at once through B: the API answers it (no
// 404), the chat page opens, the conversation stream opens and carries every message sent through A.
// B's runner learns of A's appends by polling, so reading at once mostly lands before B has applied
// them: the loop runs the race many times rather than hoping to hit it once.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send, signUp, type SignedInUser } from "../http/apiFixtures.ts";
import { connectSse, messagesIn, type SseConnection } from "../support/sseClient.ts";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";
import type { TestServer } from "../support/testServer.ts";

const dir = makeTempDir("freshreads");
// Cheap password hashes keep the sign-ups quick; a generous bound so a loaded machine lags, not fails.
const env = { PASSWORD_SCRYPT_N: "1024", READ_CATCH_UP_TIMEOUT_MS: "5000" };
let a: ServerProcess;
let b: ServerProcess;
let giver: SignedInUser;
let winner: SignedInUser;
const open: SseConnection[] = [];

const asServer = (process: ServerProcess) => ({ url: process.url }) as TestServer;

/** Created, entered and drawn through A: each answer waits for A's own read models only. */
async function drawnOnA(n: number): Promise<string> {
  const created = await request(a.url).post("/api/giveaways").set(giver.auth).send({ title: `Lamp ${n}` });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const giveawayId = created.body.id as string;
  expect((await request(a.url).post(`/api/giveaways/${giveawayId}/entries`).set(winner.auth)).status).toBe(201);
  const drawn = await request(a.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth);
  expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
  return giveawayId;
}

beforeAll(async () => {
  [a, b] = (await Promise.all([0, 1].map(() => startServerProcess({ dataDir: dir.path, env })))) as [ServerProcess, ServerProcess];
  [giver, winner] = await Promise.all([signUp(asServer(a), "giver"), signUp(asServer(a), "winner")]);
}, 120_000);

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all([a, b].map((server) => server?.kill("SIGKILL")));
  dir.remove();
});

describe("across processes, no read older than the request", () => {
  it("what was written through A is read through B at once: API, chat page, stream (repeated, so the race is run)", async () => {
    for (let n = 0; n < 20; n += 1) {
      const giveawayId = await drawnOnA(n);
      const before = await send(asServer(a), giver, giveawayId, `before the stream ${n}`);

      const onB = await request(b.url).get(`/api/giveaways/${giveawayId}`).set(winner.auth);
      expect(onB.status, `round ${n}: ${JSON.stringify(onB.body)}`).toBe(200);
      // (A positive answer is not checked against the log: it may show the giveaway before its draw.
      // A client that needs the draw names its revision, ?minRevision=.)

      const chat = await request(b.url).get(`/messages/${giveawayId}`).set("Cookie", `handoff_session=${giver.token}`);
      expect(chat.status, `round ${n}: chat page on B`).toBe(200);

      // From the start (-1): history from B's read models, then live; none missing, none twice.
      const stream = await connectSse(`${b.url}/api/giveaways/${giveawayId}/stream?after=-1`, winner.auth);
      open.push(stream);
      expect(stream.status, `round ${n}: ${JSON.stringify(stream.body)}`).toBe(200);
      const after = await send(asServer(a), giver, giveawayId, `after the stream opened ${n}`);
      await expect
        .poll(() => messagesIn(stream.events).map((m) => m.id), { timeout: 10_000, interval: 20, message: `round ${n}: both messages on B's stream` })
        .toEqual([before.id, after.id]);
      stream.close();
    }
  }, 60_000);

  it("a stream resuming from a revision A wrote a moment ago opens on B (not 409 resume_point_ahead)", async () => {
    const giveawayId = await drawnOnA(99);
    const sent = await send(asServer(a), giver, giveawayId, "the newest, known to the client");
    const stream = await connectSse(`${b.url}/api/giveaways/${giveawayId}/stream`, { ...winner.auth, "Last-Event-ID": String(sent.revision) });
    open.push(stream);
    expect(stream.status, JSON.stringify(stream.body)).toBe(200);
    const next = await send(asServer(a), giver, giveawayId, "after the resume");
    await expect.poll(() => messagesIn(stream.events).map((m) => m.id), { timeout: 10_000, interval: 20 }).toEqual([next.id]);
    stream.close();
  });
});
