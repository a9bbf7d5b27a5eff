// The EventStoreDB adapter's own logic against a fake client (no server runs here): what an append
// answer means (success flag, deduplicated or written), the server-side $all filter, safe log lines.
import { Readable } from "node:stream";
import type { EventStoreDBClient } from "@eventstore/db-client";
import { describe, expect, it } from "vitest";
import { createEsdbEventStore, serversOf } from "../../src/eventstore/esdb.ts";
import { filteredReadAllRequest } from "../../src/eventstore/esdbFilteredRead.ts";

const streamId = "giveaway-1";
const sent = { id: "00000000-0000-4000-8000-000000000001", type: "MessageSent", data: { text: "hi" }, metadata: { hash: "a" } };

interface StoredEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/** A client whose append answers `answer` and whose stream holds `stored` at revision 4. */
function fakeClient(answer: { success: boolean; nextExpectedRevision: bigint; position?: { commit: bigint; prepare: bigint } }, stored: StoredEvent[]) {
  const reads: unknown[] = [];
  const client = {
    async appendToStream() {
      return answer;
    },
    readStream(_stream: string, options: unknown) {
      reads.push(options);
      const resolved = stored.map((event, index) => ({
        event: { ...event, streamId, revision: 4n + BigInt(index), created: new Date(0), position: { commit: 900n + BigInt(index), prepare: 900n } },
        commitPosition: 900n + BigInt(index),
      }));
      return Object.assign(Readable.from(resolved), { cancel: async () => {} });
    },
    async dispose() {},
  };
  return { client: client as unknown as EventStoreDBClient, reads };
}

const silent = { info() {}, warn() {} } as never;

describe("the EventStoreDB adapter against a fake client", () => {
  it("a refused append answered with success: false (throwOnAppendFailure=false) is a wrong-expected-revision error", async () => {
    const { client } = fakeClient({ success: false, nextExpectedRevision: 6n }, []);
    const store = createEsdbEventStore("esdb://localhost:2113?tls=false&throwOnAppendFailure=false", { client, log: silent });
    await expect(store.appendToStream(streamId, [sent], { expectedRevision: 3n })).rejects.toMatchObject({
      code: "wrong_expected_revision",
      expected: 3n,
      actual: 6n,
    });
    const none = fakeClient({ success: false, nextExpectedRevision: -1n }, []);
    const fresh = createEsdbEventStore("esdb://localhost:2113", { client: none.client, log: silent });
    await expect(fresh.appendToStream(streamId, [sent], { expectedRevision: "stream_exists" })).rejects.toMatchObject({ actual: "no_stream" });
  });

  it("an answer with a position whose stored events are the batch is written", async () => {
    const { client, reads } = fakeClient({ success: true, nextExpectedRevision: 4n, position: { commit: 900n, prepare: 900n } }, [sent]);
    const store = createEsdbEventStore("esdb://localhost:2113", { client, log: silent });
    expect(await store.appendToStream(streamId, [sent], { expectedRevision: 3n })).toEqual({ nextExpectedRevision: 4n, position: 900n, outcome: "written" });
    expect(reads).toEqual([expect.objectContaining({ fromRevision: 4n, maxCount: 1 })]);
  });

  it("stored events that differ from the batch (same ids) mean it was deduplicated", async () => {
    const rival = { ...sent, data: { text: "hi" }, metadata: { hash: "b" } };
    const { client } = fakeClient({ success: true, nextExpectedRevision: 4n, position: { commit: 900n, prepare: 900n } }, [rival]);
    const store = createEsdbEventStore("esdb://localhost:2113", { client, log: silent });
    expect(await store.appendToStream(streamId, [sent], { expectedRevision: 3n })).toMatchObject({ outcome: "deduplicated", position: 900n });
  });

  it("an answer without a position (how older servers answer an idempotent append) is deduplicated, at the stored position", async () => {
    const { client } = fakeClient({ success: true, nextExpectedRevision: 4n, position: { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n } }, [sent]);
    const store = createEsdbEventStore("esdb://localhost:2113", { client, log: silent });
    expect(await store.appendToStream(streamId, [sent], { expectedRevision: 3n })).toEqual({ nextExpectedRevision: 4n, position: 900n, outcome: "deduplicated" });
  });

  it("asks the server to filter $all by stream-name prefix", () => {
    const options = filteredReadAllRequest(1234n, ["giveaway-", "user-"], 500).getOptions();
    expect(options.hasNoFilter()).toBe(false);
    expect(options.getFilter().getStreamIdentifier().getPrefixList()).toEqual(["giveaway-", "user-"]);
    expect(options.getAll().getPosition().getCommitPosition()).toBe("1234");
    expect(options.getCount()).toBe("500");
    expect(filteredReadAllRequest("start", ["x-"], 1).getOptions().getAll().hasStart()).toBe(true);
  });

  it("logs the servers it uses, never the credentials in the connection string", () => {
    expect(serversOf("esdb://admin:changeit@node1:2113,node2:2113?tls=true")).toBe("node1:2113,node2:2113");
    expect(serversOf("esdb+discover://db.internal:2113")).toBe("db.internal:2113");
  });
});
