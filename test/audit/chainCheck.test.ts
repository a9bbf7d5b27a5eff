// The chain check on hand-made streams: each kind of break is named at the right event.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { checkNext, startChain, type ChainBreak } from "../../src/audit/chainCheck.ts";
import { canonicalJson, chainHash, genesisHash } from "../../src/domain/hashChain.ts";
import type { RecordedEvent } from "../../src/eventstore/port.ts";

const streamId = "giveaway-0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f01";
const actor = { actorId: "a", correlationId: "c", causationId: "c" };

/** A stream of `count` messages chained the way the command handler chains them. */
function chainedStream(count: number): RecordedEvent[] {
  let prevHash = genesisHash;
  return Array.from({ length: count }, (_, index) => {
    const id = `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
    const data = { text: `message ${index}`, nested: { b: 1, a: [index] } };
    const hash = chainHash({ prevHash, streamId, revision: String(index), id, type: "MessageSent", data, ...actor });
    const event: RecordedEvent = {
      id,
      type: "MessageSent",
      data,
      metadata: { ...actor, prevHash, hash },
      streamId,
      revision: BigInt(index),
      position: BigInt(index + 1),
      created: new Date(0),
    };
    prevHash = hash;
    return event;
  });
}

function firstBreak(events: RecordedEvent[]): ChainBreak | undefined {
  let cursor = startChain(streamId);
  for (const event of events) {
    const step = checkNext(cursor, event);
    if (!step.ok) return step.break;
    cursor = step.cursor;
  }
  return undefined;
}

describe("checkNext", () => {
  it("passes an intact chain, whatever the key order of the stored data", () => {
    const events = chainedStream(6);
    events[2] = { ...events[2]!, data: { nested: { a: [2], b: 1 }, text: "message 2" } };
    expect(firstBreak(events)).toBeUndefined();
  });

  it("altered data, type, id or metadata: named at that event", () => {
    const edits: ((e: RecordedEvent) => RecordedEvent)[] = [
      (e) => ({ ...e, data: { ...(e.data as object), text: "changed" } }),
      (e) => ({ ...e, type: "ConversationRead" }),
      (e) => ({ ...e, id: "00000000-0000-4000-8000-999999999999" }),
      (e) => ({ ...e, metadata: { ...(e.metadata as object), actorId: "someone else" } }),
      (e) => ({ ...e, metadata: { note: "no hash at all" } }),
    ];
    for (const edit of edits) {
      const events = chainedStream(6);
      events[3] = edit(events[3]!);
      expect(firstBreak(events)).toMatchObject({ kind: "altered", revision: 3n, eventId: events[3]!.id });
    }
  });

  it("a removed event: the first missing revision, with the event after the gap in the detail", () => {
    const events = chainedStream(6);
    const remaining = [...events.slice(0, 2), ...events.slice(4)];
    const found = firstBreak(remaining);
    expect(found).toMatchObject({ kind: "removed", revision: 2n, eventId: undefined });
    expect(found?.detail).toContain("revisions 2 to 3 are missing");
    expect(found?.detail).toContain(events[4]!.id);
  });

  it("a removed first event is a break too", () => {
    expect(firstBreak(chainedStream(3).slice(1))).toMatchObject({ kind: "removed", revision: 0n });
  });

  it("swapped events: the first one out of place, with the revision it was written at", () => {
    const events = chainedStream(6);
    const swapped = events.map((e) => ({ ...e }));
    swapped[1] = { ...events[4]!, revision: 1n };
    swapped[4] = { ...events[1]!, revision: 4n };
    const found = firstBreak(swapped);
    expect(found).toMatchObject({ kind: "reordered", revision: 1n, eventId: events[4]!.id });
    expect(found?.detail).toContain("written at revision 4");
  });

  it("events stored out of revision order", () => {
    const events = chainedStream(4);
    expect(firstBreak([events[0]!, events[2]!, events[1]!])).toMatchObject({ kind: "removed", revision: 1n });
    expect(firstBreak([events[0]!, events[1]!, events[1]!])).toMatchObject({ kind: "reordered", revision: 1n });
  });

  it("an event rewritten with a recomputed hash: named through the next event's prevHash", () => {
    const events = chainedStream(5);
    const forged = events[2]!;
    const metadata = forged.metadata as { prevHash: string };
    const data = { text: "rewritten" };
    const hash = chainHash({ prevHash: metadata.prevHash, streamId, revision: "2", id: forged.id, type: forged.type, data, ...actor });
    events[2] = { ...forged, data, metadata: { ...actor, prevHash: metadata.prevHash, hash } };
    expect(firstBreak(events)).toMatchObject({ kind: "altered", revision: 2n, eventId: forged.id });
  });

  it("a first event chained to something other than the genesis hash", () => {
    const [first] = chainedStream(1);
    const prevHash = "1".repeat(64);
    const hash = chainHash({ prevHash, streamId, revision: "0", id: first!.id, type: first!.type, data: first!.data, ...actor });
    expect(firstBreak([{ ...first!, metadata: { ...actor, prevHash, hash } }])).toMatchObject({ kind: "altered", revision: 0n });
  });
});

describe("the canonical form in docs/audit.md", () => {
  it("its worked example is canonical JSON whose SHA-256 is the hash the doc states", async () => {
    const doc = await readFile(new URL("../../docs/audit.md", import.meta.url), "utf8");
    const example = /```json\n(\{"actorId".*\})\n```/.exec(doc)?.[1];
    const stated = /^hash: `([0-9a-f]{64})`/m.exec(doc)?.[1];
    expect(example).toBeDefined();
    const fields = JSON.parse(example!);
    expect(canonicalJson(fields)).toBe(example);
    expect(chainHash(fields)).toBe(stated);
    expect(createHash("sha256").update(example!, "utf8").digest("hex")).toBe(stated);
  });
});
