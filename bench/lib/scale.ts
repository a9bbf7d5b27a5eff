// How big a run is: BENCH_SCALE=quick is a smoke run of a couple of minutes; full (the default)
// is the run BENCHMARKS.md reports.
export type ScaleName = "quick" | "full";

export interface FanoutLevel {
  name: "busy" | "relaxed";
  /** The send interval for a subscriber count (ms). */
  intervalMs: (subscribers: number) => number;
  /** Messages per run; the first `warmup` are not counted. */
  messages: number;
  warmup: number;
  /** Rounds of the three systems, each round in a rotated order. */
  rounds: number;
}

export interface Scale {
  name: ScaleName;
  fanout: {
    subscribers: number[];
    /** Each load level runs every N for every system; the targets are judged at "busy". */
    levels: FanoutLevel[];
  };
  throughput: { concurrency: number[]; stepSeconds: number; warmupSeconds: number; conversations: number; p99LimitMs: number };
  memory: { connections: number; perProcess: number };
  catchup: { behind: number[]; repetitions: number };
  rebuild: { events: number; messagesPerGiveaway: number };
}

const full: Scale = {
  name: "full",
  fanout: {
    subscribers: [100, 1000, 5000],
    levels: [
      { name: "busy", intervalMs: busyInterval, messages: 350, warmup: 50, rounds: 2 },
      { name: "relaxed", intervalMs: relaxedInterval, messages: 150, warmup: 30, rounds: 1 },
    ],
  },
  throughput: { concurrency: [1, 2, 4, 8, 16, 32, 64, 128, 256], stepSeconds: 5, warmupSeconds: 1, conversations: 200, p99LimitMs: 50 },
  memory: { connections: 10_000, perProcess: 2500 },
  catchup: { behind: [1000, 10_000], repetitions: 5 },
  rebuild: { events: 1_000_000, messagesPerGiveaway: 90 },
};

const quick: Scale = {
  name: "quick",
  fanout: {
    subscribers: [100, 1000],
    levels: [
      { name: "busy", intervalMs: busyInterval, messages: 120, warmup: 50, rounds: 1 },
      { name: "relaxed", intervalMs: relaxedInterval, messages: 60, warmup: 20, rounds: 1 },
    ],
  },
  throughput: { concurrency: [1, 8, 32, 128], stepSeconds: 1.5, warmupSeconds: 0.5, conversations: 40, p99LimitMs: 50 },
  memory: { connections: 2000, perProcess: 1000 },
  catchup: { behind: [1000, 10_000], repetitions: 2 },
  rebuild: { events: 100_000, messagesPerGiveaway: 90 },
};

/**
 * Busy: a message every few ms at N = 100; at larger N the interval grows with N (25 ms at 1,000,
 * 125 ms at 5,000) so that one message's N deliveries, which the server writes and the driver
 * processes read on the same 2 cores, fit before the next for the limit and Socket.IO (set from
 * their runs, before handoff was measured). A faster rate measures only a growing queue.
 */
function busyInterval(subscribers: number): number {
  return Math.max(5, Math.round(subscribers / 40));
}

/** Relaxed: four times slower, so a system that saturates at busy shows its latency unqueued. */
function relaxedInterval(subscribers: number): number {
  return Math.max(20, Math.round(subscribers / 10));
}

export function currentScale(): Scale {
  const name = process.env.BENCH_SCALE ?? "full";
  if (name !== "quick" && name !== "full") throw new Error(`BENCH_SCALE must be quick or full, not ${name}`);
  const scale = name === "quick" ? quick : full;
  // While working on one case: BENCH_FANOUT_SUBSCRIBERS=5000 and BENCH_FANOUT_LEVELS=busy narrow the fan-out.
  const only = process.env.BENCH_FANOUT_SUBSCRIBERS;
  const levels = process.env.BENCH_FANOUT_LEVELS?.split(",");
  return {
    ...scale,
    fanout: {
      subscribers: only ? only.split(",").map(Number) : scale.fanout.subscribers,
      levels: levels ? scale.fanout.levels.filter((level) => levels.includes(level.name)) : scale.fanout.levels,
    },
  };
}
