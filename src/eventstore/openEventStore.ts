// Picks the adapter the configuration names. The EventStoreDB client (and its gRPC stack, about a
// third of the server's start-up imports) is loaded only when the configuration names EventStoreDB.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.ts";
import type { EventStore } from "./port.ts";
import { openSqliteEventStore } from "./sqlite.ts";

export async function openEventStore(config: Pick<Config, "eventStore" | "dataDir">): Promise<EventStore> {
  if (config.eventStore.kind === "esdb") {
    const { url, connectTimeoutMs, catchUpIdleTimeoutMs } = config.eventStore;
    const { createEsdbEventStore } = await import("./esdb.ts");
    return createEsdbEventStore(url, { connectTimeoutMs, catchUpIdleTimeoutMs });
  }
  return openEmbeddedEventStore(config);
}

/**
 * For synchronous callers (openHandoff without a store given): the embedded store, opened at once.
 * EventStoreDB needs openEventStore, which loads its client first.
 */
export function openEmbeddedEventStore(config: Pick<Config, "eventStore" | "dataDir">): EventStore {
  if (config.eventStore.kind !== "sqlite") throw new Error("EventStoreDB is configured: open the store with openEventStore() and pass it in");
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteEventStore({ file: join(config.dataDir, "events.db"), durability: config.eventStore.durability, workerThreads: true });
}
