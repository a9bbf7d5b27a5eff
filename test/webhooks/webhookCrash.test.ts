// At least once across a crash, on the real server: `npm start` in a child process is killed with
// SIGKILL while its deliveries are in flight (the receiver holds them unanswered); started again on
// the same data dir, it delivers every event, none lost, each interrupted one again under the same
// webhook-id, each verified with the standardwebhooks package.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { createServiceKeys } from "../../src/app/serviceKeys.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { openReactorState, reactorStateFile } from "../../src/reactors/reactorState.ts";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhookReceiver.ts";

const dir = makeTempDir("webhook-crash");
const servers: ServerProcess[] = [];
let receiver: WebhookReceiver | undefined;
afterAll(async () => {
  for (const server of servers) await server.kill("SIGKILL");
  await receiver?.close();
  dir.remove();
});

const env = { OUTBOUND_ALLOW_PRIVATE: "true", WEBHOOK_RETRY_DELAYS_MS: "200,200,200,200" };
const contents = ["one", "two", "three", "four", "five"];

describe("webhooks across a crash of the server", () => {
  it("delivers every event at least once after a SIGKILL mid-delivery, an interrupted one under the same webhook-id", { timeout: 120_000 }, async () => {
    receiver = await startWebhookReceiver();
    receiver.answer = () => "hang";
    const first = await startServerProcess({ dataDir: dir.path, env });
    servers.push(first);
    // The platform's service key, made beside the running server as `npm run service-keys -- create` makes it.
    const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    const key = await createServiceKeys({ store, newId: randomUUID, now: () => new Date() }).create("shop");
    await store.close();
    const platform = (method: "put" | "post", path: string, body: object = {}) =>
      request(first.url)[method](`/api/platform${path}`).set("Authorization", `Bearer ${key}`).set("Idempotency-Key", randomUUID()).send(body);

    const registered = await platform("post", "/webhooks", { url: receiver.url, events: ["message.sent"] });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    receiver.secrets = [registered.body.secret];
    expect((await platform("put", "/giveaways/crash-lamp", { title: "A lamp", giverId: "u-ann" })).status).toBe(201);
    expect((await platform("put", "/giveaways/crash-lamp/entrants/u-bob")).status).toBe(201);
    expect((await platform("post", "/giveaways/crash-lamp/draw", { winnerId: "u-bob" })).status).toBe(200);
    for (const content of contents) expect((await platform("post", "/giveaways/crash-lamp/messages", { content })).status).toBe(201);

    // Deliveries reached the receiver, which holds them unanswered: kill the server there.
    await expect.poll(() => receiver!.received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await first.kill("SIGKILL");
    const interrupted = new Set(receiver.received.map((delivery) => delivery.webhookId));
    // The dead server's lease on the outbox lapses within 30 s by itself; let it lapse now.
    const reactors = openReactorState(reactorStateFile(dir.path));
    reactors.prepare("UPDATE reactor_leases SET expires = 0").run();
    reactors.close();

    receiver.answer = () => 200;
    const second = await startServerProcess({ dataDir: dir.path, env });
    servers.push(second);
    const delivered = () => new Set(receiver!.received.slice(interrupted.size).map((delivery) => delivery.payload?.data.content));
    await expect.poll(() => [...delivered()].sort(), { timeout: 20_000 }).toEqual([...contents].sort());

    expect(receiver.received.every((delivery) => delivery.verifiedWith.length === 1 && delivery.payload?.type === "message.sent")).toBe(true);
    // One webhook-id per message however often it came, and each interrupted one came again.
    const idsByContent = new Map<unknown, Set<string>>();
    for (const delivery of receiver.received) idsByContent.set(delivery.payload?.data.content, (idsByContent.get(delivery.payload?.data.content) ?? new Set()).add(delivery.webhookId));
    expect([...idsByContent.values()].map((ids) => ids.size)).toEqual(contents.map(() => 1));
    for (const id of interrupted) expect(receiver.received.filter((delivery) => delivery.webhookId === id).length).toBeGreaterThanOrEqual(2);

    await second.kill("SIGTERM");
  });
});
