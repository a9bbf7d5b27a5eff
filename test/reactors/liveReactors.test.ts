// The live reactors run in their declared order after a committed batch: read-your-writes and
// session ends in the commit's turn, the hub's fan-out one turn later when live and in line while
// catching up; each gets only the events it reacts to, and one that throws does not stop the rest.
import { describe, expect, it } from "vitest";
import type { ProjectedEvent } from "../../src/projections/projection.ts";
import { hubFanOutReactor } from "../../src/reactors/hubFanOutReactor.ts";
import { runLiveReactors } from "../../src/reactors/liveReactors.ts";
import { readYourWritesReactor } from "../../src/reactors/readYourWritesReactor.ts";
import { sessionEndsReactor } from "../../src/reactors/sessionEndsReactor.ts";

const userId = "aaaaaaaa-0000-4000-8000-000000000001";
const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const message = { stream: "giveaway", giveawayId, event: { type: "MessageSent" } } as ProjectedEvent;
const ended = { stream: "user", event: { type: "SessionEnded", data: { userId } } } as ProjectedEvent;

function declared(calls: string[]) {
  const fanOut = hubFanOutReactor((applied) => calls.push(`hub ${applied.length}`));
  const reactors = [
    readYourWritesReactor({ applied: (events) => calls.push(`ryw ${events.length}`) }),
    sessionEndsReactor({ applied: (events) => calls.push(`sessions ${events.length}`) }),
    fanOut,
  ];
  return { reactors, fanOut };
}

describe("live reactors", () => {
  it("following live: waiting answers and session ends in the commit's turn, the fan-out on the next", async () => {
    const calls: string[] = [];
    const { reactors } = declared(calls);
    runLiveReactors(reactors, [message, ended], { caughtUp: true });
    expect(calls).toEqual(["ryw 1", "sessions 1"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(["ryw 1", "sessions 1", "hub 2"]);
  });

  it("catching up: the fan-out in line; a reactor with nothing to react to is not called", () => {
    const calls: string[] = [];
    const { reactors } = declared(calls);
    runLiveReactors(reactors, [message], { caughtUp: false });
    expect(calls).toEqual(["ryw 1", "hub 1"]);
  });

  it("flush publishes what is still queued; a throwing reactor does not stop the others", () => {
    const calls: string[] = [];
    const { reactors, fanOut } = declared(calls);
    const broken = { name: "broken", kind: "live" as const, canHandle: () => true, handle: () => { throw new Error("boom"); } };
    runLiveReactors([broken, ...reactors], [message], { caughtUp: true });
    expect(calls).toEqual(["ryw 1"]);
    fanOut.flush();
    expect(calls).toEqual(["ryw 1", "hub 1"]);
  });
});
