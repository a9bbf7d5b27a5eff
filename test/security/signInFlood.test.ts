// Sign-in cannot be stalled for everyone: password hashes wait in a bounded queue (here two run and
// one waits, PASSWORD_HASH_QUEUE=1), and a flood of junk sign-ins past it is answered 503 busy with
// Retry-After at once instead of queueing; a real sign-in afterwards works. One address may hold
// only RATE_LIMIT_HASHES_PER_IP hashes at once (a lease in limits.db, shared by every process):
// past it 429, nothing checked. Each client has an address of its own (TRUST_PROXY).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSharedLimits } from "../../src/scale/sharedLimits.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

let server: TestServer;
const real = { username: "real_person", password: "correct horse battery" };
let addresses = 0;
const freshIp = () => `192.0.2.${(addresses += 1)}`;

beforeAll(async () => {
  server = await startTestServer({
    // Today's hashing cost: each hash takes a good while, so a burst of sign-ins overlaps.
    env: { RATE_LIMITS: "on", TRUST_PROXY: "true", PASSWORD_SCRYPT_N: "131072", PASSWORD_HASH_QUEUE: "1", RATE_LIMIT_HASHES_PER_IP: "2" },
  });
  expect((await request(server.url).post("/api/users").set("X-Forwarded-For", freshIp()).send(real)).status).toBe(201);
});
afterAll(() => server.close());

const apiSignIn = (ip: string, credentials: { username: string; password: string }) => request(server.url).post("/api/tokens").set("X-Forwarded-For", ip).send(credentials);
const formSignIn = (ip: string, credentials: { username: string; password: string }) =>
  request(server.url).post("/signin").set("X-Forwarded-For", ip).set("Origin", server.url).type("form").send(credentials);

describe("a flood of sign-ins from many addresses", () => {
  it("is shed with 503 busy past the queue, the form says so readably, and a real sign-in then works", { timeout: 60_000 }, async () => {
    const junk = (i: number) => ({ username: `nobody_${i}`, password: `junk password ${i}` });
    let firstBusy!: () => void;
    const sawBusy = new Promise<void>((resolve) => (firstBusy = resolve));
    const flood = Array.from({ length: 12 }, (_, i) =>
      apiSignIn(freshIp(), junk(i)).then((response) => {
        if (response.status === 503) firstBusy();
        return response;
      }),
    );
    // The first refusal means the queue is full: a form sent now meets it full too (a hash takes far longer than this request).
    await Promise.race([sawBusy, Promise.all(flood)]);
    const form = await formSignIn(freshIp(), junk(99));
    const answers = await Promise.all(flood);

    const busy = answers.filter((response) => response.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const response of answers) expect([401, 503]).toContain(response.status);
    for (const response of busy) {
      expect(response.body).toEqual({ error: { code: "busy", message: expect.stringMatching(/too many passwords are being checked/) } });
      expect(response.headers["retry-after"]).toBe("2");
    }

    expect(form.status).toBe(503);
    expect(form.headers["content-type"]).toMatch(/^text\/html/);
    expect(form.text).toMatch(/Too many passwords are being checked right now: try again in a few seconds\./);
    expect(form.text).toContain('value="nobody_99"');
    expect(form.headers["retry-after"]).toBe("2");
    expect(form.headers["set-cookie"]).toBeUndefined();

    const signedIn = await apiSignIn(freshIp(), real);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
  });
});

describe("one address's hashing", () => {
  it("is capped at RATE_LIMIT_HASHES_PER_IP at once (429, nothing checked); another address is not held up", { timeout: 60_000 }, async () => {
    const ip = freshIp();
    // Another process is hashing two passwords for this address right now.
    const limits = openSharedLimits(server.dataDir);
    const leases = limits.streamLeases({ holder: "another-process", ttlMs: 30_000 });
    const held = [leases.acquire(`hashes:${ip}`, 10)!, leases.acquire(`hashes:${ip}`, 10)!];
    try {
      const refused = await apiSignIn(ip, real);
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 429,
        body: { error: { code: "rate_limited", message: expect.stringMatching(/too many sign-ins are being checked for this address at once/) } },
      });
      expect(refused.headers["retry-after"]).toBe("2");
      const form = await formSignIn(ip, real);
      expect(form.status).toBe(429);
      expect(form.text).toMatch(/Too many sign-ins are being checked for this address at once/);
      const registration = await request(server.url).post("/api/users").set("X-Forwarded-For", ip).send({ username: "someone_new", password: "long enough password" });
      expect(registration.status).toBe(429);
      expect((await apiSignIn(freshIp(), real)).status).toBe(201);
    } finally {
      for (const lease of held) lease.release();
      leases.close();
      limits.close();
    }
    expect((await apiSignIn(ip, real)).status).toBe(201);
  });
});
