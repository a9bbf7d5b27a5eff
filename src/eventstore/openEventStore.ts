// Picks the adapter the configuration names.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.ts";
import { createEsdbEventStore } from "./esdb.ts";
import type { EventStore } from "./port.ts";
import { openSqliteEventStore } from "./sqlite.ts";

export function openEventStore(config: Pick<Config, "eventStore" | "dataDir">): EventStore {
  if (config.eventStore.kind === "esdb") {
    const { url, connectTimeoutMs, catchUpIdleTimeoutMs } = config.eventStore;
    return createEsdbEventStore(url, { connectTimeoutMs, catchUpIdleTimeoutMs });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteEventStore({ file: join(config.dataDir, "events.db"), durability: config.eventStore.durability });
}
