// The abuse limits (README "Abuse limits"), each written once here and spent by the API, the pages
// and the streams alike. Counters and stream leases live in DATA_DIR/limits.db
// (src/scale/sharedLimits.ts), so every process on one data dir spends from one budget.
//
// Sign-in per account counts failed attempts only: each attempt reserves a point first (so a burst
// of parallel guesses cannot all pass before any is counted) and a successful one gives it back, so
// a person who signs in, even often, never uses up their own account's budget. Per IP, every
// attempt counts. The cost: anyone may lock an account's sign-in for the window by failing it on
// purpose (docs/operations.md).
//
// Password hashing per IP is counted at once, not per window: a lease held while a hash runs or
// waits, so one address cannot fill the hashing queue (src/app/passwordHash.ts) for everyone.
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateLimit, RateLimitsConfig } from "../config.ts";
import { usernameKey } from "../domain/streams.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import { openSharedLimits } from "../scale/sharedLimits.ts";
import type { StreamLease } from "../scale/streamLeases.ts";

export type LimitName =
  | "signin_ip"
  | "signin_account"
  | "register_ip"
  | "messages_account"
  | "messages_ip"
  | "giveaways_account"
  | "giveaways_ip"
  | "streams_user"
  | "hashes_ip"
  | "actions_account"
  | "actions_ip"
  | "platform_key";

export interface LimitRefusal {
  limit: LimitName;
  /** When to try again (the Retry-After header). */
  retryAfterSeconds: number;
  /** What happened, in words a person reads (API message; a page capitalises it). */
  message: string;
}

export interface AbuseLimits {
  /** Before checking a password: spends the IP's budget and reserves one of the account's failures. */
  signInAttempt(ip: string, username: string): Promise<LimitRefusal | undefined>;
  /** The password was right: the reserved failure is given back. */
  signInSucceeded(username: string): Promise<void>;
  registration(ip: string): Promise<LimitRefusal | undefined>;
  /** One password hash (a sign-in or a registration) for the IP, held while it runs or waits: a lease to release, or the refusal. */
  passwordHashing(ip: string): StreamLease | LimitRefusal;
  messageSend(ip: string, userId: string): Promise<LimitRefusal | undefined>;
  giveawayCreation(ip: string, userId: string): Promise<LimitRefusal | undefined>;
  /** Every other write a person makes to a giveaway: entries, the draw, mute, the pickup's steps. */
  giveawayAction(ip: string, userId: string): Promise<LimitRefusal | undefined>;
  /** One call to /api/platform with the service key `keyName`. */
  platformCall(keyName: string): Promise<LimitRefusal | undefined>;
  /** One more open stream for the user: a lease to release when it closes, or the refusal. */
  openStream(userId: string): StreamLease | LimitRefusal;
  close(): void;
}

/** A stream lease outlives its process's last renewal by this (streamLeases.ts). */
export const streamLeaseTtlMs = 30_000;

/** A refused password hash may try again after about one hash's time. */
const hashRetryMs = 2000;

const log = componentLogger("limits");
const released: StreamLease = { release() {} };

/** What each limit says when it refuses. */
function refusalMessage(limit: LimitName, seconds: number, streams: number): string {
  const wait = `try again in ${seconds} second${seconds === 1 ? "" : "s"}`;
  switch (limit) {
    case "signin_ip":
      return `too many sign-in attempts from this address: ${wait}`;
    case "signin_account":
      return `too many failed sign-ins for this account: ${wait}`;
    case "register_ip":
      return `too many new accounts from this address: ${wait}`;
    case "messages_account":
    case "messages_ip":
      return `you are sending messages too fast: ${wait}`;
    case "giveaways_account":
    case "giveaways_ip":
      return `you are creating giveaways too fast: ${wait}`;
    case "hashes_ip":
      return `too many sign-ins are being checked for this address at once: ${wait}`;
    case "actions_account":
    case "actions_ip":
      return `you are doing that too often: ${wait}`;
    case "platform_key":
      return `too many calls with this service key: ${wait}`;
    case "streams_user":
      return `at most ${streams} live stream${streams === 1 ? "" : "s"} may be open at once for one user: close one (another tab or client) and ${wait}`;
  }
}

export function isLimitRefusal(value: StreamLease | LimitRefusal): value is LimitRefusal {
  return "limit" in value;
}

/** With RATE_LIMITS=off: nothing is counted, nothing refused (load tests and benchmarks). */
function noLimits(): AbuseLimits {
  const allowed = async () => undefined;
  return {
    signInAttempt: allowed,
    signInSucceeded: async () => {},
    registration: allowed,
    messageSend: allowed,
    giveawayCreation: allowed,
    giveawayAction: allowed,
    passwordHashing: () => released,
    platformCall: allowed,
    openStream: () => released,
    close() {},
  };
}

export function openAbuseLimits(config: RateLimitsConfig, dataDir: string, instanceId: string): AbuseLimits {
  if (!config.enabled) return noLimits();
  const shared = openSharedLimits(dataDir);
  const leases = shared.streamLeases({ holder: instanceId, ttlMs: streamLeaseTtlMs });
  const limiter = (name: LimitName, rate: RateLimit) => shared.limiter({ keyPrefix: name, points: rate.points, durationSeconds: rate.seconds });
  const limiters = {
    signin_ip: limiter("signin_ip", config.signInPerIp),
    signin_account: limiter("signin_account", config.signInPerAccount),
    register_ip: limiter("register_ip", config.registerPerIp),
    messages_account: limiter("messages_account", config.messagesPerAccount),
    messages_ip: limiter("messages_ip", config.messagesPerIp),
    giveaways_account: limiter("giveaways_account", config.giveawaysPerAccount),
    giveaways_ip: limiter("giveaways_ip", config.giveawaysPerIp),
    actions_account: limiter("actions_account", config.actionsPerAccount),
    actions_ip: limiter("actions_ip", config.actionsPerIp),
    platform_key: limiter("platform_key", config.platformPerKey),
  } satisfies Partial<Record<LimitName, RateLimiterAbstract>>;
  type RateLimitName = keyof typeof limiters;

  const refuse = (limit: LimitName, retryAfterMs: number): LimitRefusal => {
    metrics.rateLimitRefusals.inc({ limit });
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return { limit, retryAfterSeconds, message: refusalMessage(limit, retryAfterSeconds, config.streamsPerUser) };
  };

  /** Spends a point; the limits file failing (busy, full) lets the request through: a limit is no reason to be down. */
  async function spend(name: RateLimitName, key: string): Promise<LimitRefusal | undefined> {
    try {
      await limiters[name].consume(key);
      return undefined;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return refuse(name, outcome.msBeforeNext);
      log.warn({ ...errorFields(outcome), limit: name }, "rate limit not checked: the limits file failed");
      return undefined;
    }
  }

  /** Bounded: a key never grows past a real name's length however long the sent one. */
  const accountKey = (username: string) => usernameKey(username.trim()).slice(0, 100);
  /** The second limit only once the first allowed it: a refused request does not spend the other budget too. */
  const both = async (first: [RateLimitName, string], second: [RateLimitName, string]) => (await spend(...first)) ?? (await spend(...second));

  return {
    signInAttempt: (ip, username) => both(["signin_ip", ip], ["signin_account", accountKey(username)]),
    async signInSucceeded(username) {
      await limiters.signin_account.reward(accountKey(username)).catch((error: unknown) => log.warn(errorFields(error), "sign-in budget not given back"));
    },
    registration: (ip) => spend("register_ip", ip),
    messageSend: (ip, userId) => both(["messages_account", userId], ["messages_ip", ip]),
    giveawayCreation: (ip, userId) => both(["giveaways_account", userId], ["giveaways_ip", ip]),
    giveawayAction: (ip, userId) => both(["actions_account", userId], ["actions_ip", ip]),
    passwordHashing(ip) {
      // A lease like an open stream's: a process that dies mid-hash leaves no count behind.
      try {
        return leases.acquire(`hashes:${ip}`, config.hashesPerIp) ?? refuse("hashes_ip", hashRetryMs);
      } catch (error) {
        log.warn({ ...errorFields(error), limit: "hashes_ip" }, "hashing limit not checked: the limits file failed");
        return released;
      }
    },
    platformCall: (keyName) => spend("platform_key", keyName),
    openStream(userId) {
      try {
        return leases.acquire(userId, config.streamsPerUser) ?? refuse("streams_user", streamLeaseTtlMs);
      } catch (error) {
        log.warn({ ...errorFields(error), limit: "streams_user" }, "stream cap not checked: the limits file failed");
        return released;
      }
    },
    close: () => shared.close(),
  };
}
