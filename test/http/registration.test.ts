// Registration cannot burn a name: a crash (an append that fails) at any step leaves a state that
// the next attempt completes, and a reservation left without its registration is released.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createPasswordHasher } from "../../src/app/passwordHash.ts";
import { createUserAccounts } from "../../src/app/userAccounts.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";

describe("registration under faults", () => {
  const dir = makeTempDir("registration");
  let store: EventStore;
  /** Which append (1-based, counted from the last `failAt` reset) fails, as a crash at that step would. */
  let failAt = 0;
  let appends = 0;
  const faulty = (): EventStore =>
    new Proxy(store, {
      get(target, name, receiver) {
        if (name !== "appendToStream") return Reflect.get(target, name, receiver);
        return async (...args: Parameters<EventStore["appendToStream"]>) => {
          appends += 1;
          if (appends === failAt) throw new Error("crash: the process died here");
          return target.appendToStream(...args);
        };
      },
    });
  const accounts = () =>
    createUserAccounts({ store: faulty(), newId: randomUUID, now: () => new Date(), passwords: createPasswordHasher({ N: 1024, r: 8, p: 1 }), sessionTtlSeconds: 3600 });
  const crashAt = (step: number) => {
    appends = 0;
    failAt = step;
  };

  beforeAll(() => {
    store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it.each([1, 2])("a crash at write %i leaves the name free: the next attempt registers and signs in", async (step) => {
    const username = `crash${step}_${process.pid}`;
    crashAt(step);
    await expect(accounts().register({ username, password: "long enough", correlationId: randomUUID() })).rejects.toThrow(/crash/);
    crashAt(0);
    const again = await accounts().register({ username, password: "another password", correlationId: randomUUID() });
    expect(again.ok).toBe(true);
    expect(await accounts().authenticate(username, "another password")).toMatchObject({ username });
    expect(await accounts().authenticate(username, "long enough")).toBeUndefined();
  });

  it("releases a reservation an earlier version left without its registration", async () => {
    const username = `burned_${process.pid}`;
    // The earlier order: the reservation first, then a crash before the registration.
    await store.appendToStream(`username-${username}`, [
      { id: randomUUID(), type: "UsernameReserved", data: { userId: randomUUID(), username }, metadata: {} },
    ], { expectedRevision: "no_stream" });
    expect(await accounts().authenticate(username, "whatever pw")).toBeUndefined();
    const result = await accounts().register({ username, password: "long enough", correlationId: randomUUID() });
    expect(result.ok).toBe(true);
    const types = (await store.readStream(`username-${username}`)).map((event) => event.type);
    expect(types).toEqual(["UsernameReserved", "UsernameReleased", "UsernameReserved"]);
    expect(await accounts().authenticate(username, "long enough")).toMatchObject({ username });
  });

  it("still refuses a name a registered user holds", async () => {
    const username = `held_${process.pid}`;
    expect((await accounts().register({ username, password: "long enough", correlationId: randomUUID() })).ok).toBe(true);
    const taken = await accounts().register({ username: username.toUpperCase(), password: "long enough", correlationId: randomUUID() });
    expect(taken).toMatchObject({ ok: false, error: { code: "username_taken" } });
  });
});

describe("passwords", () => {
  it("hashes at OWASP's scrypt cost by default, and marks a weaker hash for upgrade", async () => {
    const owasp = createPasswordHasher();
    const weak = createPasswordHasher({ N: 1024, r: 8, p: 1 });
    const old = await weak.hash("correct horse");
    expect(old.split("$").slice(0, 4)).toEqual(["scrypt", "1024", "8", "1"]);
    expect(await owasp.verify("correct horse", old)).toEqual({ ok: true, needsRehash: true });
    expect(await owasp.verify("wrong horse", old)).toEqual({ ok: false, needsRehash: false });
    const strong = await owasp.hash("correct horse");
    expect(strong.split("$").slice(0, 4)).toEqual(["scrypt", String(2 ** 17), "8", "1"]);
    expect(await owasp.verify("correct horse", strong)).toEqual({ ok: true, needsRehash: false });
  });

  it("upgrades an old hash at the next sign-in (PasswordRehashed in the user's stream)", async () => {
    const dir = makeTempDir("rehash");
    const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    try {
      const make = (N: number) => createUserAccounts({ store, newId: randomUUID, now: () => new Date(), passwords: createPasswordHasher({ N, r: 8, p: 1 }), sessionTtlSeconds: 60 });
      const registered = await make(1024).register({ username: "olduser", password: "correct horse", correlationId: randomUUID() });
      if (!registered.ok) throw new Error("not registered");
      expect(await make(2048).authenticate("olduser", "correct horse")).toMatchObject({ username: "olduser" });
      const events = await store.readStream(`user-${registered.account.id}`);
      expect(events.map((event) => event.type)).toEqual(["UserRegistered", "PasswordRehashed"]);
      expect(String((events[1]!.data as { passwordHash: string }).passwordHash)).toMatch(/^scrypt\$2048\$/);
      expect(await make(2048).authenticate("olduser", "correct horse")).toMatchObject({ username: "olduser" });
      expect((await store.readStream(`user-${registered.account.id}`)).length).toBe(2); // upgraded once
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it("spends a hash on an unknown username, as on a wrong password", async () => {
    let hashes = 0;
    const hasher = createPasswordHasher({ N: 1024, r: 8, p: 1 });
    const counting = { ...hasher, verify: (...args: Parameters<typeof hasher.verify>) => ((hashes += 1), hasher.verify(...args)) };
    counting.verifyNothing = async (password: string) => {
      await counting.verify(password, await hasher.hash("x"));
      return false;
    };
    const dir = makeTempDir("timing");
    const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    try {
      const accounts = createUserAccounts({ store, newId: randomUUID, now: () => new Date(), passwords: counting, sessionTtlSeconds: 60 });
      await accounts.register({ username: "known", password: "correct horse", correlationId: randomUUID() });
      expect(await accounts.authenticate("known", "wrong password")).toBeUndefined();
      expect(await accounts.authenticate("nobody-here", "wrong password")).toBeUndefined();
      expect(hashes).toBe(2);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
