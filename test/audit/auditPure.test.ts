// The pure pieces of the audit: reading `until`, cutting a stream, paging the global log, lines.
import { describe, expect, it } from "vitest";
import { toAuditLine } from "../../src/audit/auditLine.ts";
import { readAllPages } from "../../src/audit/storePages.ts";
import { cutAt, parseUntil } from "../../src/audit/until.ts";
import type { EventStore, ReadAllOptions, RecordedEvent } from "../../src/eventstore/port.ts";

const event = (revision: number, position: number, created: string, streamId = "giveaway-x"): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${String(position).padStart(6, "0")}${String(revision).padStart(6, "0")}`,
  type: "MessageSent",
  data: {},
  metadata: {},
  streamId,
  revision: BigInt(revision),
  position: BigInt(position),
  created: new Date(created),
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe("parseUntil", () => {
  it("a whole number is a revision; an ISO date-time is a time, UTC when it names no zone", () => {
    expect(parseUntil("0")).toEqual({ ok: true, until: { kind: "revision", revision: 0n } });
    expect(parseUntil(" 42 ")).toEqual({ ok: true, until: { kind: "revision", revision: 42n } });
    expect(parseUntil("2024-05-01T12:00:00.250+02:00")).toEqual({ ok: true, until: { kind: "time", at: new Date("2024-05-01T10:00:00.250Z") } });
    expect(parseUntil("2024-05-01T12:00")).toEqual({ ok: true, until: { kind: "time", at: new Date("2024-05-01T12:00:00Z") } });
  });

  it("anything else is refused with a sentence", () => {
    for (const bad of ["", "-1", "1.5", "1e3", "yesterday", "2024-05-01", "2024-02-30T00:00:00Z", "9".repeat(20)]) {
      const result = parseUntil(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
    }
  });
});

describe("cutAt", () => {
  const stream = [event(0, 1, "2024-01-01T00:00:00Z"), event(1, 2, "2024-01-01T00:00:01Z"), event(2, 3, "2024-01-01T00:00:02Z")];

  it("keeps events up to the revision or the time, inclusive", async () => {
    const revisions = async (until: Parameters<typeof cutAt>[1]) => (await collect(cutAt(from(stream), until))).map((e) => Number(e.revision));
    expect(await revisions({ kind: "revision", revision: 1n })).toEqual([0, 1]);
    expect(await revisions({ kind: "time", at: new Date("2024-01-01T00:00:01Z") })).toEqual([0, 1]);
    expect(await revisions({ kind: "time", at: new Date("2023-12-31T23:59:59Z") })).toEqual([]);
    expect(await revisions(undefined)).toEqual([0, 1, 2]);
  });
});

describe("readAllPages", () => {
  /** A log where several events share a position (as a multi-event commit may in some stores). */
  function storeOver(log: RecordedEvent[]): EventStore {
    return {
      async readAll(options: ReadAllOptions = {}) {
        const start = options.fromPosition === undefined || options.fromPosition === "start" ? 0n : options.fromPosition;
        return log
          .filter((e) => e.position >= start && (options.streamPrefixes ?? [""]).some((p) => e.streamId.startsWith(p)))
          .slice(0, options.maxCount);
      },
    } as EventStore;
  }

  it("yields every event exactly once across pages, even when positions repeat", async () => {
    const log = [1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 6, 6, 7].map((position, index) => event(index, position, "2024-01-01T00:00:00Z"));
    for (const pageSize of [5, 6, 7, 100]) {
      expect(await collect(readAllPages(storeOver(log), { pageSize }))).toEqual(log);
    }
  });

  it("fails loudly rather than loop when more events share a position than a page holds", async () => {
    const log = [1, 1, 1, 1].map((position, index) => event(index, position, "2024-01-01T00:00:00Z"));
    await expect(collect(readAllPages(storeOver(log), { pageSize: 2 }))).rejects.toThrow(/share log position/);
  });
});

describe("toAuditLine", () => {
  it("keeps an event whose stored data no longer fits the catalogue, as unreadable", () => {
    const line = toAuditLine({ ...event(4, 9, "2024-01-01T00:00:00Z"), data: { content: 42 }, metadata: { actorId: "someone" } });
    expect(line).toMatchObject({ revision: 4, whoId: "someone", detail: { type: "Unreadable", storedType: "MessageSent" } });
  });
});
