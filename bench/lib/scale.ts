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
  /** `rounds`: each round measures every system once, in a rotated order; the report shows median [min – max]. */
  throughput: { rounds: number; concurrency: number[]; stepSeconds: number; warmupSeconds: number; conversations: number; p99LimitMs: number };
  memory: { rounds: number; connections: number; perProcess: number };
  catchup: { behind: number[]; repetitions: number };
  rebuild: { rounds: number; coldStarts: number; events: number; messagesPerGiveaway: number };
  sendCost: { rounds: number; longMessages: number; freshMessages: number; senders: number; seconds: number };
}

const full: Scale = {
  name: "full",
  fanout: {
    subscribers: [100, 1000, 5000],
    levels: [
      // Five rounds of 110 messages (80 counted) where there were two of 350: the rounds give a spread.
      { name: "busy", intervalMs: busyInterval, messages: 110, warmup: 30, rounds: 5 },
      // Supplementary (no target is judged on it): one round, to show each system unqueued.
      { name: "relaxed", intervalMs: relaxedInterval, messages: 50, warmup: 15, rounds: 1 },
    ],
  },
  // Five rounds of 2.5-second steps from 4 senders (were one round of 6-second steps from 1): no
  // system's best rate was ever below 8 senders.
  throughput: { rounds: 5, concurrency: [4, 8, 16, 32, 64, 128], stepSeconds: 2, warmupSeconds: 0.5, conversations: 200, p99LimitMs: 50 },
  memory: { rounds: 5, connections: 10_000, perProcess: 2500 },
  catchup: { behind: [1000, 10_000], repetitions: 5 },
  rebuild: { rounds: 5, coldStarts: 5, events: 1_000_000, messagesPerGiveaway: 90 },
  sendCost: { rounds: 5, longMessages: 100_000, freshMessages: 10, senders: 16, seconds: 3 },
};

const quick: Scale = {
  name: "quick",
  fanout: {
    subscribers: [100, 1000],
    levels: [
      { name: "busy", intervalMs: busyInterval, messages: 80, warmup: 30, rounds: 2 },
      { name: "relaxed", intervalMs: relaxedInterval, messages: 40, warmup: 15, rounds: 1 },
    ],
  },
  throughput: { rounds: 2, concurrency: [4, 16, 64], stepSeconds: 1.5, warmupSeconds: 0.5, conversations: 40, p99LimitMs: 50 },
  memory: { rounds: 2, connections: 2000, perProcess: 1000 },
  catchup: { behind: [1000, 10_000], repetitions: 2 },
  rebuild: { rounds: 2, coldStarts: 2, events: 100_000, messagesPerGiveaway: 90 },
  sendCost: { rounds: 2, longMessages: 10_000, freshMessages: 10, senders: 16, seconds: 2 },
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
  // BENCH_ROUNDS=1: one round of every figure, for a quicker look (never for reported results).
  const rounds = process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : undefined;
  const withRounds = <T extends { rounds: number }>(value: T): T => (rounds ? { ...value, rounds } : value);
  return {
    ...scale,
    fanout: {
      subscribers: only ? only.split(",").map(Number) : scale.fanout.subscribers,
      levels: (levels ? scale.fanout.levels.filter((level) => levels.includes(level.name)) : scale.fanout.levels).map(withRounds),
    },
    throughput: withRounds(scale.throughput),
    memory: withRounds(scale.memory),
    rebuild: withRounds(scale.rebuild),
    sendCost: withRounds(scale.sendCost),
  };
}
