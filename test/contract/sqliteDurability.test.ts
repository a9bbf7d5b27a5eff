// The embedded store's own promises: acknowledged appends survive kill -9, and other processes see appends.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { take } from "./eventStoreContract.ts";

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempFile() {
  const dir = makeTempDir("durability");
  dirs.push(dir);
  return join(dir.path, "events.db");
}

describe("embedded store durability", () => {
  it("finds every acknowledged append after the writer is killed with SIGKILL mid-load", async () => {
    const file = tempFile();
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/appendWriter.ts", file], { stdio: ["ignore", "pipe", "inherit"] });
    const acknowledged: { streamId: string; revision: bigint; id: string }[] = [];
    const lines = createInterface({ input: child.stdout! });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => {
      lines.on("line", (line) => {
        const [word, streamId, revision, id] = line.split(" ");
        if (word !== "ack") return;
        acknowledged.push({ streamId: streamId!, revision: BigInt(revision!), id: id! });
        if (acknowledged.length === 400) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    expect(await exited).toBe("SIGKILL");

    const store = openSqliteEventStore({ file });
    try {
      for (const ack of acknowledged) {
        const [stored] = await store.readStream(ack.streamId, { fromRevision: ack.revision, maxCount: 1 });
        expect(stored?.id, `${ack.streamId}@${ack.revision}`).toBe(ack.id);
      }
    } finally {
      await store.close();
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);
  });

  it("a subscription in one process sees appends made by another process on the same file", async () => {
    const file = tempFile();
    const reader = openSqliteEventStore({ file, pollIntervalMs: 20 });
    const writer = openSqliteEventStore({ file });
    try {
      const subscription = reader.subscribeToAll({ from: "start" });
      expect((await take(subscription, 1)).map((item) => item.kind)).toEqual(["caughtUp"]);
      const id = randomUUID();
      await writer.appendToStream("other-1", [{ id, type: "FromElsewhere", data: {} }]);
      const [item] = await take(subscription, 1);
      expect(item?.kind === "event" && item.event.id).toBe(id);
      await subscription.stop();
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it("one refused append in a group commit does not take the others down", async () => {
    const store = openSqliteEventStore({ file: tempFile() });
    try {
      await store.appendToStream("group-1", [{ id: randomUUID(), type: "A", data: {} }]);
      const outcomes = await Promise.allSettled([
        store.appendToStream("group-2", [{ id: randomUUID(), type: "B", data: {} }]),
        store.appendToStream("group-1", [{ id: randomUUID(), type: "C", data: {} }], { expectedRevision: "no_stream" }),
        store.appendToStream("group-3", [{ id: randomUUID(), type: "D", data: {} }]),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(await store.readStream("group-1")).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
