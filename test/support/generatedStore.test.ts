// The generated log (generatedStore.ts) is what the rebuild comparison trusts: deterministic, gapless
// per stream, and, when asked, hash-chained as the audit checks it.
import { describe, expect, it } from "vitest";
import { checkNext, describeBreak, startChain, type ChainCursor } from "../../src/audit/chainCheck.ts";
import { giveawayStreamPrefix } from "../../src/domain/streams.ts";
import { generateEvents, type GeneratedEvent } from "./generatedStore.ts";

const take = (options: Parameters<typeof generateEvents>[0]): GeneratedEvent[] => [...generateEvents(options)];

describe("the generated log", () => {
  it("is the same for the same seed, and another for another seed", () => {
    const first = take({ events: 5000, seed: 7 });
    expect(first).toHaveLength(5000);
    expect(JSON.stringify(take({ events: 5000, seed: 7 }))).toBe(JSON.stringify(first));
    expect(JSON.stringify(take({ events: 5000, seed: 8 }))).not.toBe(JSON.stringify(first));
  });

  it("numbers each stream's events from 0 without gaps, with unique event ids", () => {
    const events = take({ events: 10_000, seed: 7 });
    const next = new Map<string, number>();
    const gaps: string[] = [];
    for (const { streamId, revision } of events) {
      if (revision !== (next.get(streamId) ?? 0)) gaps.push(`${streamId} ${revision}`);
      next.set(streamId, revision + 1);
    }
    expect(gaps).toEqual([]);
    expect(new Set(events.map((each) => each.event.id)).size).toBe(events.length);
    expect([...next.keys()].filter((streamId) => streamId.startsWith(giveawayStreamPrefix)).length).toBeGreaterThan(50);
  });

  it("with `chain`, every giveaway stream passes the audit's chain check", () => {
    const cursors = new Map<string, ChainCursor>();
    let checked = 0;
    for (const [position, generated] of take({ events: 5000, seed: 7, chain: true }).entries()) {
      if (!generated.streamId.startsWith(giveawayStreamPrefix)) continue;
      const recorded = { ...generated.event, metadata: generated.event.metadata, streamId: generated.streamId, revision: BigInt(generated.revision), position: BigInt(position + 1), created: new Date(0) };
      const step = checkNext(cursors.get(generated.streamId) ?? startChain(generated.streamId), recorded);
      if (!step.ok) throw new Error(describeBreak(step.break));
      cursors.set(generated.streamId, step.cursor);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(3000);
  });
});
