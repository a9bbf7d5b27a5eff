// The webhook outbox's rules, given events then deliveries (test/reactors/reactorKit.ts, a fake
// clock, a scripted sender): one stored delivery per event and endpoint that wants it, a stable
// webhook-id, retries as the same wake-up later, a failing endpoint costing one attempt per retry,
// giving up past the schedule, nothing sent to a removed endpoint.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { decideRegisterWebhook, decideRemoveWebhook, foldWebhooks, webhookIdOf, type WebhookDecision } from "../../src/domain/webhooks.ts";
import { webhookEvents, type WebhookEvent } from "../../src/domain/webhooksEvents.ts";
import { newWebhookSecret } from "../../src/app/webhookEndpoints.ts";
import type { OutboundAnswer } from "../../src/outbound/outboundPost.ts";
import type { WebhookAttempt } from "../../src/reactors/webhookDeliveries.ts";
import { webhookCheckEveryMs, webhookOutboxReactor, type OutboxDelivery } from "../../src/reactors/webhookOutboxReactor.ts";
import { reactorKit, type ReactorKit } from "../reactors/reactorKit.ts";

/** Now, in whole seconds: the receiver's package checks a signature's timestamp against its own clock. */
const start = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const user = "aaaaaaaa-0000-4000-8000-000000000001";

const delivered: OutboundAnswer = { status: 200, latencyMs: 3 };
const noAnswer: OutboundAnswer = { status: undefined, error: "no answer within 10000 ms", latencyMs: 10_000 };

/** Lets the sender's answers (promises) come in. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** The due wake-ups start their POSTs; the answers come in; the next look (a moment later) settles them. */
async function deliverDue(kit: ReactorKit): Promise<void> {
  await kit.wakeDue();
  await flush();
  kit.clock.advance(webhookCheckEveryMs);
  await kit.wakeDue();
}

/** `answers`: the receiver's first answers, in order ("never": it never answers); then `otherwise` (a 200). */
function setup(options: { answers?: (OutboundAnswer | "never" | Promise<OutboundAnswer>)[]; otherwise?: OutboundAnswer; delays?: number[]; wakeSoon?: boolean } = {}) {
  const answers = [...(options.answers ?? [])];
  const stored: { event: WebhookEvent; position: bigint }[] = [];
  const apply = (decision: WebhookDecision, position: bigint) => {
    if (!decision.ok) throw new Error(decision.message);
    for (const event of decision.events) stored.push({ event: webhookEvents.parse(event.type, event.data), position });
  };
  const posts: { url: string; headers: Record<string, string>; body: string }[] = [];
  const records: WebhookAttempt[] = [];
  const disabled: { endpointId: string; reason: string }[] = [];
  const reactor = webhookOutboxReactor({
    endpoints: async () => foldWebhooks(stored),
    async disable(endpointId, reason) {
      disabled.push({ endpointId, reason });
      apply({ ok: true, events: [{ type: "WebhookEndpointDisabled", data: { endpointId, reason, disabledAt: kit.clock.now().toISOString() } }] }, 1_000_000n);
    },
    deliveries: { record: (attempt) => void records.push(attempt) },
    poster: {
      async post(url, headers, body) {
        posts.push({ url, headers, body });
        const answer = answers.shift() ?? options.otherwise ?? delivered;
        return answer === "never" ? new Promise<OutboundAnswer>(() => {}) : await answer;
      },
    },
    retryDelaysMs: options.delays ?? [5000, 60_000],
    random: () => 0.5,
    now: () => kit.clock.now(),
    platformGiveawayId: async () => "bike-42",
    agreedProposal: async () => ({ from: "2026-12-06T10:00:00.000Z", to: "2026-12-06T12:00:00.000Z", place: "Elm Street 5" }),
  });
  const kit = reactorKit(reactor, start, { wakeSoon: options.wakeSoon ?? false });
  /** An endpoint registered now (at the kit's next position: before the events given after it). */
  const endpoint = (events: string[] = ["message.sent", "giveaway.drawn"], keyName = "shop") => {
    const endpointId = crypto.randomUUID();
    const secret = newWebhookSecret();
    const position = kit.giveawayEvent(crypto.randomUUID(), { type: "EntrySubmitted", data: { userId: user, enteredAt: start } }).recorded.position;
    apply(decideRegisterWebhook(foldWebhooks(stored), { endpointId, keyName, url: `https://hooks.example.invalid/${endpointId}`, events, secret, now: kit.clock.now() }), position);
    return { endpointId, secret };
  };
  const remove = (endpointId: string) => apply(decideRemoveWebhook(foldWebhooks(stored), { endpointId, keyName: "shop", now: kit.clock.now() }), 1_000_000n);
  const sent = (content: string) => kit.giveawayEvent(giveawayId, { type: "MessageSent", data: { messageId: crypto.randomUUID(), senderId: user, content, sentAt: kit.clock.now().toISOString() } } satisfies GiveawayEvent);
  return { kit, endpoint, remove, sent, posts, records, disabled };
}

describe("webhook outbox reactor", () => {
  it("stores one delivery per event and endpoint that wants it, due now; none for endpoints registered after it or not subscribed", async () => {
    const { kit, endpoint, sent } = setup();
    const early = sent("before any endpoint");
    const a = endpoint();
    const b = endpoint(["giveaway.drawn"]);
    const message = sent("hello");
    const { scheduled } = await kit.given([early, message]);
    expect(scheduled).toEqual([
      { key: `${a.endpointId}/${message.recorded.id}`, dueAt: start, payload: expect.objectContaining({ endpointId: a.endpointId, webhookId: webhookIdOf(message.recorded.id, a.endpointId), attempts: 0 }) },
    ]);
    expect((scheduled[0]!.payload as OutboxDelivery).message).toMatchObject({ type: "message.sent", data: { giveawayId, platformGiveawayId: "bike-42", content: "hello", kind: "user" } });
    void b;
  });

  it("pickup.agreed tells the agreed window and place, looked up in the giveaway's stream", async () => {
    const { kit, endpoint } = setup();
    endpoint(["pickup.agreed"]);
    const accepted = kit.giveawayEvent(giveawayId, { type: "PickupProposalAccepted", data: { proposalId: user, acceptedBy: user, acceptedAt: start } });
    const { scheduled } = await kit.given([accepted]);
    expect((scheduled[0]!.payload as OutboxDelivery).message).toEqual({
      type: "pickup.agreed",
      timestamp: start,
      data: { giveawayId, platformGiveawayId: "bike-42", proposalId: user, acceptedBy: user, agreedAt: start, from: "2026-12-06T10:00:00.000Z", to: "2026-12-06T12:00:00.000Z", place: "Elm Street 5" },
    });
  });

  it("delivers each signed for its endpoint, verifiable with the standardwebhooks package, and records it", async () => {
    const { kit, endpoint, sent, posts, records } = setup();
    const a = endpoint();
    const message = sent("hello");
    await kit.given([message]);
    await deliverDue(kit);
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post!.url).toBe(`https://hooks.example.invalid/${a.endpointId}`);
    const body = new Webhook(a.secret).verify(post!.body, post!.headers) as { type: string };
    expect(body.type).toBe("message.sent");
    expect(post!.headers["webhook-id"]).toBe(webhookIdOf(message.recorded.id, a.endpointId));
    expect(records).toEqual([expect.objectContaining({ endpointId: a.endpointId, outcome: "delivered", status: 200, attempt: 1 })]);
    expect(kit.wakeUps()).toEqual([]);
  });

  it("an answer brings its delivery's look forward: done at once, not at the next check", async () => {
    let answer!: (answer: OutboundAnswer) => void;
    const { kit, endpoint, sent, posts, records } = setup({ answers: [new Promise<OutboundAnswer>((resolve) => (answer = resolve))], wakeSoon: true });
    endpoint(["message.sent"]);
    await kit.given([sent("hello")]);
    await kit.wakeDue(); // the POST goes out; its look is stored a check ahead
    await flush();
    expect(kit.wakeUps().map((wake) => Date.parse(wake.dueAt) - kit.clock.now().getTime())).toEqual([webhookCheckEveryMs]);
    answer(delivered); // the 200 comes in
    await flush();
    expect(kit.wakeUps().map((wake) => Date.parse(wake.dueAt) - kit.clock.now().getTime())).toEqual([0]);
    await kit.wakeDue(); // with no time passed
    expect(posts).toHaveLength(1);
    expect(records).toEqual([expect.objectContaining({ outcome: "delivered" })]);
    expect(kit.wakeUps()).toEqual([]);
  });

  it("a delivery waiting for its answer holds up nothing: its wake-up stays stored, looked at again, while others go out", async () => {
    const { kit, endpoint, sent, posts } = setup({ answers: ["never"] });
    const slow = endpoint(["giveaway.drawn"]);
    await kit.given([kit.giveawayEvent(giveawayId, { type: "DrawConducted", data: { winnerId: user, drawnAt: start } })]);
    await deliverDue(kit); // the POST is out, its answer never comes
    const waiting = kit.wakeUps();
    expect(waiting).toEqual([expect.objectContaining({ key: expect.stringContaining(slow.endpointId), dueAt: new Date(kit.clock.now().getTime() + webhookCheckEveryMs).toISOString() })]);
    const quick = endpoint(["message.sent"]);
    await kit.given([sent("two")]);
    await deliverDue(kit);
    expect(posts.map((post) => post.url.split("/").pop())).toEqual([slow.endpointId, quick.endpointId]);
    expect(kit.wakeUps().map((wake) => wake.key)).toEqual([waiting[0]!.key]); // still there: a crash now would send it again
  });

  it("deliveries beyond the places in flight wait parked, not looking every 250 ms, and go out one by one as answers free places", async () => {
    let answerFourth!: (answer: OutboundAnswer) => void;
    const fourth = new Promise<OutboundAnswer>((resolve) => (answerFourth = resolve));
    const { kit, endpoint, sent, posts } = setup({ answers: ["never", "never", "never", fourth] });
    endpoint(["message.sent"]);
    await kit.given(["1", "2", "3", "4", "5", "6"].map(sent));
    await kit.wakeDue(); // four POSTs out (one endpoint's places); the fifth and sixth find none
    expect(posts).toHaveLength(4);
    const parkedUntil = (wake: { dueAt: string }) => Date.parse(wake.dueAt) - kit.clock.now().getTime();
    const waiting = () => kit.wakeUps().filter((wake) => !posts.some((post) => post.headers["webhook-id"] === (wake.payload as OutboxDelivery).webhookId));
    expect(waiting().map(parkedUntil)).toEqual([webhookCheckEveryMs, 2 * webhookCheckEveryMs]); // as far ahead as its place in the line
    kit.clock.advance(webhookCheckEveryMs);
    await kit.wakeDue(); // the fifth looks, finds no place, and goes to the back of the line
    expect(posts).toHaveLength(4);
    expect(waiting().map(parkedUntil).sort()).toEqual([webhookCheckEveryMs, 2 * webhookCheckEveryMs]);
    answerFourth(delivered);
    await flush();
    kit.clock.advance(webhookCheckEveryMs);
    await kit.wakeDue(); // the answer is seen: its place goes to one delivery waiting for this endpoint
    await kit.wakeDue();
    expect(posts).toHaveLength(5);
    // The other waits on, not made due for nothing (its endpoint has no place free).
    expect(waiting().map(parkedUntil)).toEqual([webhookCheckEveryMs]);
    await flush(); // its answer comes (a 200)
    kit.clock.advance(webhookCheckEveryMs);
    await kit.wakeDue(); // seen: the last one is due
    await kit.wakeDue();
    expect(posts.map((post) => JSON.parse(post.body).data.content).sort()).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(waiting()).toEqual([]);
    // The three that never answer are looked at less often the longer they are out (up to every 5 s).
    kit.clock.advance(10_000);
    await kit.wakeDue();
    const inFlight = kit.wakeUps().filter((wake) => ["1", "2", "3"].includes((wake.payload as OutboxDelivery).message.data.content as string));
    expect(inFlight.map(parkedUntil)).toEqual([5000, 5000, 5000]);
  });

  it("a failure is tried again later under the same key and webhook-id; a 2xx ends it", async () => {
    const { kit, endpoint, sent, posts, records } = setup({ answers: [{ status: 500, latencyMs: 2 }, { status: 302, latencyMs: 2 }] });
    endpoint();
    await kit.given([sent("hello")]);
    await deliverDue(kit);
    const [retry] = kit.wakeUps();
    expect(retry).toMatchObject({ dueAt: new Date(Date.parse(start) + 5000).toISOString(), payload: { attempts: 1 } }); // the first retry after 5 s
    kit.clock.advance(5000);
    await deliverDue(kit);
    expect(kit.wakeUps()).toEqual([expect.objectContaining({ key: retry!.key, payload: expect.objectContaining({ attempts: 2 }) })]);
    kit.clock.advance(60_000);
    await deliverDue(kit);
    expect(kit.wakeUps()).toEqual([]);
    expect(new Set(posts.map((post) => post.headers["webhook-id"])).size).toBe(1);
    expect(records.map((record) => [record.attempt, record.status, record.outcome])).toEqual([[1, 500, "retrying"], [2, 302, "retrying"], [3, 200, "delivered"]]);
  });

  it("past the schedule the endpoint is given up: disabled with why, and its other deliveries are dropped", async () => {
    const { kit, endpoint, sent, posts, records, disabled } = setup({ otherwise: noAnswer, delays: [5000, 5000] });
    const a = endpoint();
    await kit.given([sent("one")]);
    await deliverDue(kit); // attempt 1 fails: again at +5 s
    kit.clock.advance(5000);
    await deliverDue(kit); // attempt 2 fails: again 5 s later
    await kit.given([sent("two")]);
    await deliverDue(kit); // put off: the endpoint is failing
    kit.clock.advance(4500);
    await deliverDue(kit); // attempt 3 of "one" fails: past the schedule
    expect(disabled).toEqual([{ endpointId: a.endpointId, reason: expect.stringContaining("failed 3 times, the last: no answer within 10000 ms") }]);
    expect(records.at(-1)).toMatchObject({ outcome: "given_up", status: null, attempt: 3 });
    kit.clock.advance(60_000);
    await deliverDue(kit);
    expect(kit.wakeUps()).toEqual([]);
    expect(posts.map((post) => JSON.parse(post.body).data.content)).toEqual(["one", "one", "one"]); // "two" never went out
  });

  it("while an endpoint fails, its other due deliveries wait for its next try without spending attempts; another endpoint is not held up", async () => {
    const { kit, endpoint, sent, posts } = setup({ answers: [noAnswer] });
    const dead = endpoint(["message.sent"]);
    await kit.given([sent("one")]);
    await deliverDue(kit); // fails: the endpoint is failing until start + 5 s
    const healthy = endpoint(["message.sent"]);
    await kit.given([sent("two"), sent("three")]);
    await deliverDue(kit);
    const to = (endpointId: string) => posts.filter((post) => post.url.endsWith(endpointId)).length;
    expect({ dead: to(dead.endpointId), healthy: to(healthy.endpointId) }).toEqual({ dead: 1, healthy: 2 });
    const waiting = kit.wakeUps();
    expect(waiting).toHaveLength(3);
    expect(waiting.map((wake) => (wake.payload as OutboxDelivery).attempts).sort()).toEqual([0, 0, 1]);
    expect(waiting.every((wake) => Date.parse(wake.dueAt) >= Date.parse(start) + 5000)).toBe(true);
    kit.clock.advance(6000);
    await deliverDue(kit);
    expect(to(dead.endpointId)).toBe(4);
    expect(kit.wakeUps()).toEqual([]);
  });

  it("sends nothing to an endpoint removed after the event; a repeated batch replaces its deliveries rather than doubling them", async () => {
    const { kit, endpoint, remove, sent, posts } = setup();
    const a = endpoint();
    const message = sent("hello");
    await kit.given([message]);
    await kit.given([message], { mayRepeat: true });
    expect(kit.wakeUps()).toHaveLength(1);
    remove(a.endpointId);
    await deliverDue(kit);
    expect(posts).toEqual([]);
    expect(kit.wakeUps()).toEqual([]);
  });
});
