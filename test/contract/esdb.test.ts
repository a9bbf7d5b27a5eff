import { describe } from "vitest";
import { createEsdbEventStore } from "../../src/eventstore/esdb.ts";
import { describeEventStore } from "./eventStoreContract.ts";
import { describeStreamMetadata } from "./streamMetadataContract.ts";

const url = process.env.EVENTSTORE_URL;

// Runs whenever EVENTSTORE_URL points at an EventStoreDB; otherwise reported as skipped, never hidden.
describe.skipIf(!url)("EventStoreDB (EVENTSTORE_URL)", () => {
  describeEventStore("EventStoreDB", async () => {
    const store = createEsdbEventStore(url!);
    return { store, dispose: () => store.close() };
  });
  describeStreamMetadata("EventStoreDB", async () => {
    const store = createEsdbEventStore(url!);
    return { store, dispose: () => store.close() };
  });
});
