// The durable reactor runner on a real SQLite store and reactors.db: the checkpoint moves only
// after the handler resolved, failures are retried then stop the reactor until the operator's
// retry or skip, wake-ups outlive the process, and one process at a time runs a reactor.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import type { ProjectedEvent } from "../../src/projections/projection.ts";
import { startDurableReactorRunner, type DurableReactorRunner, type DurableReactorRunnerOptions } from "../../src/reactors/durableReactorRunner.ts";
import type { DurableContext, DurableReactor, DurableWakeUps, WakeUp } from "../../src/reactors/reactor.ts";
import { clearReactorFailure, openReactorState, readReactorSkips, readReactorStates, skipReactorFailure } from "../../src/reactors/reactorState.ts";
import { makeTempDir } from "../support/tempDir.ts";

let dir: ReturnType<typeof makeTempDir>;
let store: EventStore;
let file: string;
const runners: DurableReactorRunner[] = [];

beforeEach(() => {
  dir = makeTempDir("reactors");
  file = join(dir.path, "reactors.db");
  store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal", pollIntervalMs: 20 });
});
afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.close();
  await store.close();
  dir.remove();
});

/** A giveaway created (an event every reactor here reacts to); resolves to its log position. */
async function created(title: string): Promise<bigint> {
  const giveawayId = crypto.randomUUID();
  const data = { giveawayId, giverId: crypto.randomUUID(), title, description: "", createdAt: new Date().toISOString() };
  return (await store.appendToStream(`giveaway-${giveawayId}`, [{ id: crypto.randomUUID(), type: "GiveawayCreated", data }])).position;
}

const titleOf = (event: ProjectedEvent) => (event.event.type === "GiveawayCreated" ? event.event.data.title : "?");

function testReactor(handle: DurableReactor["handle"], wake?: DurableReactor["wake"], name = "test"): DurableReactor {
  return { name, kind: "durable", firstStart: "beginning", canHandle: ["GiveawayCreated"], handle, ...(wake ? { wake } : {}) };
}

function start(reactor: DurableReactor, options: Partial<DurableReactorRunnerOptions> = {}): DurableReactorRunner {
  const runner = startDurableReactorRunner({ store, file, reactors: [reactor], holder: "one", retryDelayMs: () => 10, statusPollMs: 30, leaseTtlMs: 300, ...options });
  runners.push(runner);
  return runner;
}

function stateOf(name = "test") {
  const db = openReactorState(file);
  try {
    return readReactorStates(db).find((state) => state.name === name)!;
  } finally {
    db.close();
  }
}

function operator<T>(act: (db: ReturnType<typeof openReactorState>) => T): T {
  const db = openReactorState(file);
  try {
    return act(db);
  } finally {
    db.close();
  }
}

describe("durable reactor runner", () => {
  it("moves the checkpoint only once the handler has resolved", async () => {
    let finish: () => void = () => {};
    const handled: string[] = [];
    start(
      testReactor(async (batch) => {
        await new Promise<void>((resolve) => (finish = resolve));
        handled.push(...batch.map(titleOf));
      }),
    );
    const position = await created("a");
    await vi.waitFor(() => expect(stateOf().inFlight).toBe(position));
    expect(stateOf().position).toBeUndefined();
    finish();
    await vi.waitFor(() => expect(stateOf().position).toBe(position));
    expect(stateOf().inFlight).toBeUndefined();
    expect(handled).toEqual(["a"]);
  });

  it("retries a throwing handler, then stops on the event with its failure; the operator's retry resumes it", async () => {
    let fixed = false;
    const calls: { titles: string[]; mayRepeat: boolean }[] = [];
    start(
      testReactor(async (batch, context) => {
        calls.push({ titles: batch.map(titleOf), mayRepeat: context.mayRepeat });
        if (!fixed && batch.some((event) => titleOf(event) === "bad")) throw new Error("the mail server said no");
      }),
    );
    const good = await created("good");
    await vi.waitFor(() => expect(stateOf().position).toBe(good));
    const bad = await created("bad");
    await vi.waitFor(() => expect(stateOf().failure).toBeDefined());
    const failure = stateOf().failure!;
    expect(failure).toMatchObject({ position: bad, type: "GiveawayCreated", revision: 0n, error: "the mail server said no", attempts: 5 });
    expect(failure.streamId).toMatch(/^giveaway-/);
    expect(calls.filter((call) => call.titles.includes("bad")).map((call) => call.mayRepeat)).toEqual([false, true, true, true, true]);
    expect(stateOf().position).toBe(good);

    // Stopped: what comes after waits.
    const after = await created("after");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(calls.some((call) => call.titles.includes("after"))).toBe(false);

    fixed = true;
    expect(operator((db) => clearReactorFailure(db, "test"))).toBe(true);
    await vi.waitFor(() => expect(stateOf().position).toBe(after));
    expect(stateOf().failure).toBeUndefined();
    // Handed over again (with what waited behind it), marked as a possible repeat.
    expect(calls.at(-1)).toEqual({ titles: ["bad", "after"], mayRepeat: true });
  });

  it("a failing event in a batch is found alone; the operator's skip passes over it and goes on", async () => {
    const succeeded: string[] = [];
    start(
      testReactor(async (batch) => {
        if (batch.some((event) => titleOf(event) === "bad")) throw new Error("cannot");
        succeeded.push(...batch.map(titleOf));
      }),
      { maxAttempts: 2 },
    );
    // Appended before it follows live: delivered as one batch while catching up.
    await created("one");
    const bad = await created("bad");
    await created("two");
    await vi.waitFor(() => expect(stateOf().failure?.position).toBe(bad));
    expect(succeeded).toEqual(["one"]);
    const skip = operator((db) => skipReactorFailure(db, "test", new Date()));
    expect(skip).toMatchObject({ name: "test", position: bad, type: "GiveawayCreated" });
    await vi.waitFor(() => expect(succeeded).toEqual(["one", "two"]));
    expect(operator((db) => readReactorSkips(db)).map((each) => each.position)).toEqual([bad]);
    expect(stateOf().failure).toBeUndefined();
  });

  it("keeps wake-ups across closing and opening again; calls them once due by its clock, retrying one that fails", async () => {
    let clock = Date.parse("2026-11-24T10:00:00Z");
    const now = () => new Date(clock);
    const woken: { key: string; payload: unknown; attempts: number; mayRepeat: boolean }[] = [];
    let failWake = true;
    const reactor = testReactor(
      async (batch, context: DurableContext) => {
        for (const event of batch) context.schedule(titleOf(event), new Date(clock + 60 * 60_000), { title: titleOf(event) });
      },
      async (wakeUp: WakeUp, context: DurableContext) => {
        woken.push({ key: wakeUp.key, payload: wakeUp.payload, attempts: wakeUp.attempts, mayRepeat: context.mayRepeat });
        if (failWake) {
          failWake = false;
          throw new Error("not yet");
        }
      },
    );
    const first = start(reactor, { now, wakeCheckMs: 30 });
    const position = await created("reminder");
    await vi.waitFor(() => expect(stateOf().position).toBe(position));
    expect(stateOf().wakeUps.count).toBe(1);
    await first.close();
    expect(woken).toEqual([]);

    clock += 61 * 60_000;
    start(reactor, { now, wakeCheckMs: 30 });
    await vi.waitFor(() => expect(woken).toHaveLength(1));
    expect(stateOf().wakeUps).toMatchObject({ count: 1, failing: 1 }); // due again after its retry delay, by the clock
    clock += 1000;
    await vi.waitFor(() => expect(stateOf().wakeUps.count).toBe(0));
    expect(woken).toEqual([
      { key: "reminder", payload: { title: "reminder" }, attempts: 0, mayRepeat: false },
      { key: "reminder", payload: { title: "reminder" }, attempts: 1, mayRepeat: true },
    ]);
  });

  it("two processes on one data dir: one runs the reactor, the other takes over once it has closed", async () => {
    const handledBy: [string, string][] = [];
    const reactorOf = (holder: string) => testReactor(async (batch) => void handledBy.push(...batch.map((event): [string, string] => [holder, titleOf(event)])));
    const one = start(reactorOf("one"), { holder: "one" });
    const two = start(reactorOf("two"), { holder: "two" });
    expect(one.status()[0]!.holding).toBe(true);
    expect(two.status()[0]!.holding).toBe(false);
    expect(stateOf().lease?.holder).toBe("one");
    await created("first");
    await vi.waitFor(() => expect(handledBy).toEqual([["one", "first"]]));
    await new Promise((resolve) => setTimeout(resolve, 250)); // a few lease renewals: still one's
    expect(two.status()[0]!.holding).toBe(false);

    await one.close();
    await vi.waitFor(() => expect(two.status()[0]!.holding).toBe(true));
    await created("second");
    await vi.waitFor(() => expect(handledBy).toEqual([["one", "first"], ["two", "second"]]));
  });

  it("a quiet reactor (nobody to tell) is not called and writes nothing per batch; its checkpoint still moves", async () => {
    let quiet = true;
    const handled: string[] = [];
    const reactor: DurableReactor = { ...testReactor(async (batch) => void handled.push(...batch.map(titleOf))), quiet: () => quiet };
    // Idle saves and lease renewals a minute away: whatever reactors.db holds after the events was written per batch.
    const runner = start(reactor, { statusPollMs: 60_000, leaseTtlMs: 180_000 });
    await created("a");
    const last = await created("b");
    await vi.waitFor(() => expect(runner.status()[0]!.position).toBe(last));
    expect(handled).toEqual([]);
    expect(stateOf().position).toBeUndefined();
    expect(stateOf().inFlight).toBeUndefined();

    quiet = false; // somebody to tell from here on
    const told = await created("c");
    await vi.waitFor(() => expect(handled).toEqual(["c"]));
    await vi.waitFor(() => expect(stateOf().position).toBe(told));
  });

  it("live, the events one commit wrote reach the handler as one batch", async () => {
    const batches: string[][] = [];
    start(testReactor(async (batch) => void batches.push(batch.map(titleOf))));
    await created("first");
    await vi.waitFor(() => expect(batches).toEqual([["first"]]));
    const giveawayId = crypto.randomUUID();
    const event = (title: string) => ({ id: crypto.randomUUID(), type: "GiveawayCreated", data: { giveawayId, giverId: crypto.randomUUID(), title, description: "", createdAt: new Date().toISOString() } });
    await store.appendToStream(`giveaway-${giveawayId}`, [event("x"), event("y"), event("z")]);
    await vi.waitFor(() => expect(batches.flat()).toEqual(["first", "x", "y", "z"]));
    expect(batches).toEqual([["first"], ["x", "y", "z"]]);
  });

  it("a wake-up is brought forward from outside any handler (wakeSoon), but not while it is being called", async () => {
    const clock = Date.parse("2026-12-06T10:00:00Z");
    const woken: string[] = [];
    let control: DurableWakeUps | undefined;
    let duringCall: (() => void) | undefined;
    const reactor: DurableReactor = {
      ...testReactor(
        async (batch, context) => {
          for (const event of batch) context.schedule(titleOf(event), new Date(clock + 60 * 60_000), null);
        },
        async (wakeUp, context) => {
          woken.push(wakeUp.key);
          duringCall?.(); // asked again while this call runs: nothing changes
          if (woken.length === 1) context.schedule(wakeUp.key, new Date(clock + 60 * 60_000), null);
        },
      ),
      attach: (wakeUps) => void (control = wakeUps),
    };
    start(reactor, { now: () => new Date(clock), wakeCheckMs: 30 });
    const position = await created("answer");
    await vi.waitFor(() => expect(stateOf().position).toBe(position));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(woken).toEqual([]); // due in an hour
    duringCall = () => control!.wakeSoon("answer");
    control!.wakeSoon("answer");
    await vi.waitFor(() => expect(woken).toEqual(["answer"]));
    // The call scheduled it an hour ahead again, and the wakeSoon made during the call left that be.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(woken).toEqual(["answer"]);
    expect(stateOf().wakeUps.count).toBe(1);
    duringCall = undefined;
    control!.wakeSoon("answer");
    await vi.waitFor(() => expect(woken).toEqual(["answer", "answer"]));
    await vi.waitFor(() => expect(stateOf().wakeUps.count).toBe(0));
  });

  it("a dead holder's lease lapses and another process takes the reactor", async () => {
    // A lease left by a process that died (never released): it expires, then the next one takes it.
    operator((db) => db.prepare("INSERT INTO reactor_leases (name, holder, expires) VALUES ('test', 'dead', ?)").run(Date.now() + 400));
    const handled: string[] = [];
    const runner = start(testReactor(async (batch) => void handled.push(...batch.map(titleOf))), { holder: "alive" });
    expect(runner.status()[0]!.holding).toBe(false);
    await created("x");
    await vi.waitFor(() => expect(handled).toEqual(["x"]), { timeout: 3000 });
    expect(stateOf().lease?.holder).toBe("alive");
  });
});
