// The webhooks' pure rules: endpoints registered, rotated (a day's overlap), removed and disabled;
// which log events make which webhook; the signature a Standard Webhooks receiver accepts; the retry
// schedule with its jitter, and when it gives up.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import {
  decideDisableWebhook, decideRegisterWebhook, decideRemoveWebhook, decideRotateWebhookSecret, defaultRetryDelaysMs, endpointWants, foldWebhooks,
  isDelivered, maxEndpointsPerKey, nextRetryAt, signedHeaders, signingSecrets, webhookIdOf, webhookMessageOf, type WebhookDecision, type WebhooksState,
} from "../../src/domain/webhooks.ts";
import { webhookEvents, type WebhookEvent } from "../../src/domain/webhooksEvents.ts";
import { newWebhookSecret } from "../../src/app/webhookEndpoints.ts";

const now = new Date("2026-12-01T10:00:00.000Z");
const day = 24 * 3600 * 1000;
const endpointId = "0e5b7d1c-2f3a-4b5c-8d6e-7f8091a2b3c4";
const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const user = "aaaaaaaa-0000-4000-8000-000000000001";

/** The log so far, with positions; `apply` appends a decision's events to it. */
function history(events: WebhookEvent[] = []) {
  let position = 10n;
  const stored = events.map((event) => ({ event, position: position++ }));
  return {
    state: (): WebhooksState => foldWebhooks(stored),
    apply(decision: WebhookDecision) {
      if (!decision.ok) throw new Error(`refused: ${decision.message}`);
      for (const event of decision.events) stored.push({ event: webhookEvents.parse(event.type, event.data), position: position++ });
      return this;
    },
  };
}

const register = (overrides: Partial<Parameters<typeof decideRegisterWebhook>[1]> = {}) => ({
  endpointId, keyName: "shop", url: "https://hooks.example.invalid/in", events: ["message.sent", "giveaway.drawn"], secret: newWebhookSecret(), now, ...overrides,
});

describe("webhook endpoints", () => {
  it("registers an endpoint with its events (deduplicated) and secret, from its position on", () => {
    const log = history();
    const request = register({ events: ["message.sent", "message.sent", "giveaway.drawn"] });
    log.apply(decideRegisterWebhook(log.state(), request));
    const endpoint = log.state().get(endpointId)!;
    expect(endpoint).toMatchObject({ keyName: "shop", url: request.url, events: ["message.sent", "giveaway.drawn"], status: "active", registeredPosition: 10n, registeredAt: now.toISOString() });
    expect(signingSecrets(endpoint, now)).toEqual([request.secret]);
    expect(endpointWants(endpoint, "message.sent", 11n)).toBe(true);
    expect(endpointWants(endpoint, "message.sent", 10n)).toBe(false); // not what came before it
    expect(endpointWants(endpoint, "message.read", 11n)).toBe(false); // not subscribed
  });

  it("refuses unknown event types, none at all, an overlong url and a key's 21st endpoint", () => {
    const log = history();
    expect(decideRegisterWebhook(log.state(), register({ events: ["message.sent", "giveaway.exploded"] }))).toMatchObject({ ok: false, code: "invalid_field" });
    expect(decideRegisterWebhook(log.state(), register({ events: [] }))).toMatchObject({ ok: false, code: "invalid_field" });
    expect(decideRegisterWebhook(log.state(), register({ url: `https://hooks.example.invalid/${"a".repeat(2000)}` }))).toMatchObject({ ok: false, code: "invalid_field" });
    for (let n = 0; n < maxEndpointsPerKey; n++) log.apply(decideRegisterWebhook(log.state(), register({ endpointId: crypto.randomUUID() })));
    expect(decideRegisterWebhook(log.state(), register())).toMatchObject({ ok: false, code: "invalid_field" });
    expect(decideRegisterWebhook(log.state(), register({ keyName: "other-shop" })).ok).toBe(true); // another key's count is its own
  });

  it("rotates the secret: both sign for 24 hours, then only the new one", () => {
    const first = newWebhookSecret();
    const second = newWebhookSecret();
    const log = history().apply(decideRegisterWebhook(foldWebhooks([]), register({ secret: first })));
    log.apply(decideRotateWebhookSecret(log.state(), { endpointId, keyName: "shop", secret: second, now }));
    const endpoint = log.state().get(endpointId)!;
    expect(signingSecrets(endpoint, now)).toEqual([second, first]);
    expect(signingSecrets(endpoint, new Date(now.getTime() + day - 1))).toEqual([second, first]);
    expect(signingSecrets(endpoint, new Date(now.getTime() + day))).toEqual([second]);
  });

  it("only the key that registered an endpoint rotates or removes it; a removed one is gone", () => {
    const log = history().apply(decideRegisterWebhook(foldWebhooks([]), register()));
    expect(decideRemoveWebhook(log.state(), { endpointId, keyName: "other-shop", now })).toMatchObject({ ok: false, code: "not_found" });
    expect(decideRotateWebhookSecret(log.state(), { endpointId, keyName: "other-shop", secret: newWebhookSecret(), now })).toMatchObject({ ok: false, code: "not_found" });
    log.apply(decideRemoveWebhook(log.state(), { endpointId, keyName: "shop", now }));
    expect(log.state().get(endpointId)!.status).toBe("removed");
    expect(endpointWants(log.state().get(endpointId)!, "message.sent", 99n)).toBe(false);
    expect(decideRemoveWebhook(log.state(), { endpointId, keyName: "shop", now })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("disables an active endpoint once, with why; nothing more is sent to it", () => {
    const log = history().apply(decideRegisterWebhook(foldWebhooks([]), register()));
    log.apply(decideDisableWebhook(log.state(), { endpointId, reason: "failed 8 times", now }));
    expect(log.state().get(endpointId)).toMatchObject({ status: "disabled", disabledReason: "failed 8 times", disabledAt: now.toISOString() });
    expect(decideDisableWebhook(log.state(), { endpointId, reason: "again", now })).toEqual({ ok: true, events: [] });
    expect(endpointWants(log.state().get(endpointId)!, "message.sent", 99n)).toBe(false);
  });
});

describe("which events make which webhook", () => {
  const at = now.toISOString();
  const cases: [GiveawayEvent, string, Record<string, unknown>][] = [
    [{ type: "MessageSent", data: { messageId: user, senderId: user, content: "hi", sentAt: at } }, "message.sent", { kind: "user", senderId: user, content: "hi", replyTo: null, attachmentIds: [] }],
    [{ type: "SystemMessagePosted", data: { messageId: user, content: "Reserved", postedAt: at } }, "message.sent", { kind: "system", senderId: null, content: "Reserved", sentAt: at }],
    [{ type: "MessageEdited", data: { messageId: user, editorId: user, content: "hi!", editedAt: at } }, "message.edited", { content: "hi!" }],
    [{ type: "MessageRetracted", data: { messageId: user, retractedBy: user, retractedAt: at } }, "message.removed", { removedBy: user }],
    [{ type: "ConversationRead", data: { userId: user, upToRevision: 4, readAt: at } }, "message.read", { userId: user, upToRevision: 4 }],
    [{ type: "DrawConducted", data: { winnerId: user, drawnAt: at } }, "giveaway.drawn", { winnerId: user, decidedBy: "handoff" }],
    [{ type: "WinnerRedrawn", data: { winnerId: user, previousWinnerId: endpointId, reason: "no_show", redrawnAt: at } }, "giveaway.redrawn", { previousWinnerId: endpointId, reason: "no_show" }],
    [{ type: "PickupProposalAccepted", data: { proposalId: user, acceptedBy: user, acceptedAt: at } }, "pickup.agreed", { proposalId: user }],
    [{ type: "GiveawayCompleted", data: { completedAt: at, readOnlyFrom: at } }, "giveaway.completed", { completedAt: at }],
    [{ type: "GiveawayCancelled", data: { cancelledBy: user, reason: "sold", cancelledAt: at, readOnlyFrom: at } }, "giveaway.cancelled", { reason: "sold" }],
  ];
  it.each(cases)("%o makes a webhook", (event, type, data) => {
    const message = webhookMessageOf(giveawayId, event)!;
    expect(message).toMatchObject({ type, timestamp: at, data: { giveawayId, ...data } });
  });

  it("names the platform's own giveaway id when it pushed the giveaway in, else null", () => {
    const [event] = cases[0]!;
    expect(webhookMessageOf(giveawayId, event, { platformGiveawayId: "bike-42" })!.data).toMatchObject({ giveawayId, platformGiveawayId: "bike-42" });
    expect(webhookMessageOf(giveawayId, event)!.data.platformGiveawayId).toBeNull();
  });

  it("pickup.agreed carries the accepted proposal's window and place when the log has it", () => {
    const accepted: GiveawayEvent = { type: "PickupProposalAccepted", data: { proposalId: user, acceptedBy: user, acceptedAt: at } };
    const agreedProposal = { from: "2026-12-06T10:00:00.000Z", to: "2026-12-06T12:00:00.000Z", place: "Elm Street 5" };
    expect(webhookMessageOf(giveawayId, accepted, { agreedProposal })!.data).toMatchObject(agreedProposal);
    expect(webhookMessageOf(giveawayId, accepted)!.data).toMatchObject({ from: null, to: null, place: null });
  });

  it("the rest make none", () => {
    expect(webhookMessageOf(giveawayId, { type: "EntrySubmitted", data: { userId: user, enteredAt: now.toISOString() } })).toBeUndefined();
    expect(webhookMessageOf(giveawayId, { type: "ReactionAdded", data: { messageId: user, userId: user, emoji: "👍", reactedAt: now.toISOString() } })).toBeUndefined();
  });
});

describe("signing", () => {
  it("signs so that the standardwebhooks package verifies it, with either secret during a rotation", () => {
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const body = JSON.stringify({ type: "message.sent", timestamp: now.toISOString(), data: { giveawayId } });
    const sentAt = new Date();
    const headers = signedHeaders("msg_1", body, [current, previous], sentAt);
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(sentAt.getTime() / 1000)));
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it("the webhook-id is the same for one event and one endpoint, and differs otherwise", () => {
    const event = crypto.randomUUID();
    expect(webhookIdOf(event, endpointId)).toBe(webhookIdOf(event, endpointId));
    expect(webhookIdOf(event, endpointId)).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
    expect(webhookIdOf(event, crypto.randomUUID())).not.toBe(webhookIdOf(event, endpointId));
    expect(webhookIdOf(crypto.randomUUID(), endpointId)).not.toBe(webhookIdOf(event, endpointId));
  });
});

describe("the retry schedule", () => {
  it("retries first within about 5 s, spreads each wait by 20% either way, and gives up after about a day", () => {
    const waits = (random: number) => defaultRetryDelaysMs.map((_, index) => nextRetryAt(index + 1, now, () => random)!.getTime() - now.getTime());
    expect(waits(0.5)).toEqual([...defaultRetryDelaysMs]);
    expect(waits(0)[0]).toBe(4000);
    expect(waits(0.999_999)[0]).toBe(6000);
    waits(0).forEach((wait, index) => expect(wait).toBe(Math.round(defaultRetryDelaysMs[index]! * 0.8)));
    const total = defaultRetryDelaysMs.reduce((sum, wait) => sum + wait, 0);
    expect(total).toBeGreaterThan(0.9 * day);
    expect(total).toBeLessThan(1.5 * day);
    expect(nextRetryAt(defaultRetryDelaysMs.length + 1, now, () => 0.5)).toBeUndefined();
    expect(nextRetryAt(2, now, () => 0.5, [10, 20])!.getTime()).toBe(now.getTime() + 20);
    expect(nextRetryAt(3, now, () => 0.5, [10, 20])).toBeUndefined();
  });

  it("only a 2xx is a delivery: a redirect is not followed and counts as a failure", () => {
    expect([200, 204, 299].map(isDelivered)).toEqual([true, true, true]);
    expect([undefined, 199, 301, 302, 400, 500].map(isDelivered)).toEqual([false, false, false, false, false, false]);
  });
});
