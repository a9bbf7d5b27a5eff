// Passwords are kept only as salted scrypt hashes: scrypt$N$r$p$salt$hash (base64). The cost is
// OWASP's recommendation for scrypt (N=2^17, r=8, p=1); a hash made at a lower cost is upgraded at
// the next sign-in. Each hash takes 128 MiB, so only a few run at once; the rest wait their turn in a
// bounded queue, and past it a hash is refused at once (PasswordHashingBusy, answered 503 busy): an
// unbounded queue let a flood of junk sign-ins hold up everyone's for many seconds.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { owaspScryptCost, type ScryptCost } from "../config.ts";

const keyLength = 32;

/** Hashes running at once; more would only queue in libuv's thread pool while holding memory. */
const maxConcurrentHashes = 2;

/** The hashing queue is full: nothing was checked or stored; the client tries again shortly. */
export class PasswordHashingBusy extends Error {
  readonly code = "busy";
  readonly retryAfterSeconds = 2;
  constructor() {
    super("too many passwords are being checked right now: try again in a few seconds");
    this.name = "PasswordHashingBusy";
  }
}

/** scrypt itself (a test may pass a slower or gated one). */
export type DeriveKey = (password: string, salt: Buffer, cost: ScryptCost) => Promise<Buffer>;

export interface PasswordHasherOptions {
  /** Hashes that may wait for a running one (PASSWORD_HASH_QUEUE); one more is refused with PasswordHashingBusy. */
  maxWaiting?: number;
  derive?: DeriveKey;
}

const scryptKey: DeriveKey = (password, salt, options) =>
  new Promise((resolve, reject) => {
    // scrypt needs ~128 * N * r bytes; node refuses more than 32 MiB unless told.
    const scryptOptions: ScryptOptions = { ...options, maxmem: 256 * options.N * options.r + 1024 * 1024 };
    scryptCallback(password, salt, keyLength, scryptOptions, (error, key) => (error ? reject(error) : resolve(key)));
  });

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether the password matches, and whether its hash is weaker than today's cost (to upgrade it). */
  verify(password: string, stored: string): Promise<{ ok: boolean; needsRehash: boolean }>;
  /** Costs what a real verify costs, for a name that does not exist: timing tells nobody which names do. */
  verifyNothing(password: string): Promise<false>;
}

export function createPasswordHasher(cost: ScryptCost = owaspScryptCost, options: PasswordHasherOptions = {}): PasswordHasher {
  const { maxWaiting = 8, derive = scryptKey } = options;
  let running = 0;
  const waiting: (() => void)[] = [];
  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running < maxConcurrentHashes) running += 1;
    else if (waiting.length >= maxWaiting) throw new PasswordHashingBusy();
    else await new Promise<void>((resolve) => waiting.push(resolve)); // a finishing hash hands its slot over
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  }

  const scrypt = (password: string, salt: Buffer, options: ScryptCost): Promise<Buffer> => withSlot(() => derive(password, salt, options));

  const hash = async (password: string) => {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, cost);
    return ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
  };

  let dummy: Promise<string> | undefined;

  return {
    hash,
    async verify(password, stored) {
      const [scheme, n, r, p, salt, expected] = stored.split("$");
      const storedCost = { N: Number(n), r: Number(r), p: Number(p) };
      const sane = [storedCost.N, storedCost.r, storedCost.p].every((value) => Number.isInteger(value) && value > 0) && storedCost.N <= 2 ** 20;
      if (scheme !== "scrypt" || !salt || !expected || !sane) return { ok: false, needsRehash: false };
      const key = await scrypt(password, Buffer.from(salt, "base64"), storedCost);
      const expectedKey = Buffer.from(expected, "base64");
      const ok = key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
      const weaker = storedCost.N < cost.N || storedCost.r < cost.r || storedCost.p < cost.p;
      return { ok, needsRehash: ok && weaker };
    },
    async verifyNothing(password) {
      // Made once; a refused (busy) attempt is made again next time rather than kept.
      dummy ??= hash("not anyone's password").catch((error: unknown) => {
        dummy = undefined;
        throw error;
      });
      await this.verify(password, await dummy);
      return false;
    },
  };
}

/** One hash at today's cost (seeding benchmarks). */
export function hashPassword(password: string): Promise<string> {
  return createPasswordHasher().hash(password);
}
