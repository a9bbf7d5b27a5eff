// GET /api/giveaways/:id/events: the stream as stored, cut at a revision or a time, as JSON or
// NDJSON read page by page; only the giver and the winner may read it.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/audit/auditEvent.ts";
import { genesisHash } from "../../src/domain/hashChain.ts";
import type { EventStore, ReadStreamOptions } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { conversationWithMoments, drawnGiveaway, send, type Conversation } from "./auditFixtures.ts";
import type { Account } from "../../src/app/userAccounts.ts";
import { tokenFor } from "../http/apiFixtures.ts";

let dir: ReturnType<typeof makeTempDir>;
let server: TestServer;
let conversation: Conversation & { loser: Account };
/** Every readStream call the server makes, to see that long streams are read in pages. */
const streamReads: { streamId: string; options: ReadStreamOptions | undefined }[] = [];

function recordingStore(store: EventStore): EventStore {
  return {
    ...store,
    readStream(streamId, options) {
      streamReads.push({ streamId, options });
      return store.readStream(streamId, options);
    },
  };
}

beforeAll(async () => {
  dir = makeTempDir("events-api");
  const store = recordingStore(openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" }));
  server = await startTestServer({ dataDir: dir.path, overrides: { store } });
  conversation = await conversationWithMoments(server.handoff, { giver: "gina", winner: "walt", loser: "lou" });
});

afterAll(async () => {
  await server?.close();
  dir?.remove();
});

const tokenOf = (account: Account) => tokenFor(server.handoff.config.jwtSecret!, account).token;

function get(path: string, account?: Account, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { headers: { ...(account ? { authorization: `Bearer ${tokenOf(account)}` } : {}), ...headers } });
}

const eventsPath = (query = "") => `/api/giveaways/${conversation.giveawayId}/events${query}`;

async function events(query: string, account: Account = conversation.giver): Promise<AuditEvent[]> {
  const response = await get(eventsPath(query), account);
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: AuditEvent[] }).events;
}

describe("the events of a giveaway", () => {
  it("gives every event with revision, id, type, data, metadata and created, chained by hash", async () => {
    const all = await events("");
    expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(all[0]).toMatchObject({ type: "GiveawayCreated", data: { giverId: conversation.giver.id } });
    expect(all[4]).toMatchObject({ type: "MessageSent", data: { senderId: conversation.giver.id, content: "Congratulations! When can you pick it up?" } });
    for (const [index, event] of all.entries()) {
      expect(Object.keys(event).sort()).toEqual(["created", "data", "id", "metadata", "revision", "type"]);
      expect(new Date(event.created).toISOString()).toBe(event.created);
      const metadata = event.metadata as Record<string, string>;
      expect(Object.keys(metadata).sort()).toEqual(["actorId", "causationId", "correlationId", "hash", "prevHash"]);
      expect(metadata.prevHash).toBe(index === 0 ? genesisHash : (all[index - 1]!.metadata as Record<string, string>).hash);
    }
    // The winner reads the same stream, but not who else entered (auditRedaction.test.ts): that entry keeps its hash.
    const loserEntry = all.findIndex((e) => e.type === "EntrySubmitted" && (e.data as { userId: string }).userId === conversation.loser.id);
    const withheld = { ...all[loserEntry]!, data: { ...(all[loserEntry]!.data as object), userId: null }, metadata: { ...(all[loserEntry]!.metadata as object), actorId: null }, redacted: true };
    expect(await events("", conversation.winner)).toEqual(all.map((e, index) => (index === loserEntry ? withheld : e)));
  });

  it("cuts at a revision and at a time, inclusive", async () => {
    const all = await events("");
    for (const moment of conversation.moments) {
      expect(await events(`?until=${moment.revision}`)).toEqual(all.slice(0, moment.revision + 1));
      expect(await events(`?until=${encodeURIComponent(moment.time.toISOString())}`)).toEqual(all.slice(0, moment.revision + 1));
    }
    expect(await events("?until=1000")).toEqual(all);
    expect(await events("?until=2000-01-01T00:00:00Z")).toEqual([]);
  });

  it("streams NDJSON line by line, the same events as the JSON answer", async () => {
    const response = await get(eventsPath("?format=ndjson&until=6"), conversation.winner);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const text = await response.text();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n").map((line) => JSON.parse(line) as AuditEvent);
    expect(lines).toEqual(await events("?until=6", conversation.winner));
  });

  it("reads a long stream in pages, and NDJSON carries all of it in order", async () => {
    const { handoff } = server;
    const giveawayId = await drawnGiveaway(handoff, conversation.giver, conversation.winner);
    for (let i = 0; i < 1200; i++) await send(handoff, giveawayId, i % 2 ? conversation.giver : conversation.winner, `message ${i}`);
    streamReads.length = 0;
    const response = await get(`/api/giveaways/${giveawayId}/events?format=ndjson`, conversation.giver);
    const lines = (await response.text()).trimEnd().split("\n").map((line) => JSON.parse(line) as AuditEvent);
    expect(lines.map((e) => e.revision)).toEqual(Array.from({ length: 1203 }, (_, i) => i));
    expect(lines.at(-1)).toMatchObject({ type: "MessageSent", data: { content: "message 1199" } });
    const reads = streamReads.filter((read) => read.streamId === `giveaway-${giveawayId}`);
    expect(reads.length).toBeGreaterThan(2);
    for (const read of reads) expect(read.options?.maxCount).toBeLessThanOrEqual(500);
  });
});

describe("refusals", () => {
  async function refusal(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
  }

  it("401 without a token or with a bad one", async () => {
    await refusal(await get(eventsPath()), 401, "unauthenticated");
    await refusal(await get(eventsPath(), undefined, { authorization: "Bearer not-a-token" }), 401, "invalid_token");
  });

  it("403 for an entrant who did not win, 404 for an unknown giveaway", async () => {
    await refusal(await get(eventsPath(), conversation.loser), 403, "not_participant");
    await refusal(await get("/api/giveaways/0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f01/events", conversation.giver), 404, "giveaway_not_found");
  });

  it("422 for a bad until or format", async () => {
    for (const query of ["?until=yesterday", "?until=-1", "?until=1.5", "?until=2024-13-01T00:00:00Z", "?until=1&until=2", "?format=xml"]) {
      await refusal(await get(eventsPath(query), conversation.giver), 422, "invalid_field");
    }
  });

  it("accepts the session cookie as well as a Bearer token", async () => {
    const response = await get(eventsPath("?until=0"), undefined, { cookie: `handoff_session=${tokenOf(conversation.winner)}` });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { events: AuditEvent[] }).events).toHaveLength(1);
  });
});
