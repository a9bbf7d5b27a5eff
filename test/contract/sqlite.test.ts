import { join } from "node:path";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { describeEventStore } from "./eventStoreContract.ts";

describeEventStore("embedded SQLite", async () => {
  const dir = makeTempDir("contract");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db") });
  return {
    store,
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
});
