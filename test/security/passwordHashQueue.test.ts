// The password hashes wait in a bounded queue: two run, `maxWaiting` wait, one more is refused at
// once (PasswordHashingBusy) instead of queueing behind a flood. An unknown name still costs exactly
// one hash, as a wrong password does. scrypt is replaced by a gate the test opens, so nothing here
// depends on how long a hash takes.
import { describe, expect, it } from "vitest";
import { createPasswordHasher, PasswordHashingBusy, type DeriveKey } from "../../src/app/passwordHash.ts";

const cost = { N: 1024, r: 8, p: 1 };
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A derive whose every call waits until the test releases it; counts the calls. */
function gatedDerive() {
  const pending: (() => void)[] = [];
  let calls = 0;
  let mostAtOnce = 0;
  const derive: DeriveKey = async (password, salt) => {
    calls += 1;
    await new Promise<void>((resolve) => {
      pending.push(resolve);
      mostAtOnce = Math.max(mostAtOnce, pending.length);
    });
    return Buffer.from(`${password}:${salt.toString("hex")}`.padEnd(32, ".").slice(0, 32));
  };
  return {
    derive,
    get calls() {
      return calls;
    },
    get running() {
      return pending.length;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    /** Lets the hashes running now finish (the ones they hand their slots to start, and wait). */
    release: async () => {
      for (const finish of pending.splice(0)) finish();
      await settle();
    },
    releaseAll: async () => {
      while (pending.length > 0) {
        pending.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}


describe("the password hashing queue", () => {
  it("runs two, keeps maxWaiting waiting, and refuses one more at once", async () => {
    const gate = gatedDerive();
    const hasher = createPasswordHasher(cost, { maxWaiting: 1, derive: gate.derive });
    const outcomes: string[] = [];
    const track = (name: string, work: Promise<unknown>) =>
      work.then(
        () => outcomes.push(`${name} done`),
        (error: unknown) => outcomes.push(`${name} ${error instanceof PasswordHashingBusy ? "busy" : String(error)}`),
      );
    const all = [track("a", hasher.hash("a")), track("b", hasher.hash("b")), track("c", hasher.hash("c")), track("d", hasher.hash("d")), track("e", hasher.verifyNothing("e"))];
    await settle();
    // a and b run, c waits; d and e are refused before any hash has finished.
    expect(gate.running).toBe(2);
    expect(outcomes).toEqual(["d busy", "e busy"]);
    await gate.releaseAll();
    await Promise.all(all);
    expect(outcomes.slice(2).sort()).toEqual(["a done", "b done", "c done"]);
    expect(gate.calls).toBe(3);
    // Room again once the queue has drained.
    const later = hasher.hash("f");
    await settle();
    await gate.releaseAll();
    await expect(later).resolves.toMatch(/^scrypt\$1024\$8\$1\$/);
  });

  it("hands a finishing hash's slot to the oldest waiting one: never more than two run", async () => {
    const gate = gatedDerive();
    const hasher = createPasswordHasher(cost, { maxWaiting: 10, derive: gate.derive });
    const hashes = Array.from({ length: 6 }, (_, i) => hasher.hash(`p${i}`));
    await settle();
    for (let round = 0; round < 3; round++) {
      expect(gate.running).toBe(2);
      await gate.release();
    }
    await Promise.all(hashes);
    expect(gate.calls).toBe(6);
    expect(gate.mostAtOnce).toBe(2);
  });

  it("charges an unknown name one hash, as a wrong password, once the stand-in hash exists", async () => {
    const gate = gatedDerive();
    const hasher = createPasswordHasher(cost, { maxWaiting: 10, derive: gate.derive });
    const stored = hasher.hash("right");
    await settle();
    await gate.releaseAll();
    const storedHash = await stored;

    const first = hasher.verifyNothing("guess"); // makes the stand-in hash once
    for (let i = 0; i < 3; i++) {
      await settle();
      await gate.releaseAll();
    }
    await first;
    const before = gate.calls;
    const unknown = hasher.verifyNothing("guess");
    await settle();
    await gate.releaseAll();
    await unknown;
    const afterUnknown = gate.calls;
    const wrong = hasher.verify("wrong", storedHash);
    await settle();
    await gate.releaseAll();
    await wrong;
    expect(afterUnknown - before).toBe(1);
    expect(gate.calls - afterUnknown).toBe(1);
  });
});
