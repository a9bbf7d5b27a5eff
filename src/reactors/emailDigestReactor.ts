// E-mail digests: a recipient who has not read the other person's new messages within the delay
// gets one mail of them (src/domain/emailDigest.ts decides, with the clock injected). A stored
// wake-up per conversation and recipient, `digest:<giveawayId>:<userId>`, at the oldest unread
// message plus the delay; each message, read mark, mute or unmute looks again (and moves or drops
// it). The wake-up decides afresh from the read models and the user's stream, sends, then records
// EmailDigestSent in the user's stream: "nothing more until read" survives restarts, and a repeated
// wake-up finds it recorded. A send that fails throws, so the runner calls the wake-up again later
// (1 s, doubling, at most 5 minutes): at least once, with the same Message-ID.
// From the end of the log on its first start: old unread conversations are not mailed about.
import { digestAddress, type EmailState } from "../domain/emailAddresses.ts";
import { isEmailEventType } from "../domain/emailEvents.ts";
import { decideDigest, digestKey, digestWakeUpAt, type DigestDecision, type DigestMessage } from "../domain/emailDigest.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import type { ProjectedEvent } from "../projections/projection.ts";
import type { DurableContext, DurableReactor } from "./reactor.ts";

export const emailDigestsName = "email-digests";

const log = componentLogger("email-digests");

/** What the read models show of one conversation for one recipient. */
export interface DigestConversationView {
  /** Still the giver or the current winner. */
  participant: boolean;
  title: string;
  /** Their read mark (what they sent counts as read). */
  readUpTo: number;
  /** The conversation's messages they may read after `revision`, oldest first (a bounded number). */
  messagesAfter(revision: number): DigestMessage[];
}

export interface DigestToSend {
  to: string;
  recipientId: string;
  giveawayId: string;
  title: string;
  messages: DigestMessage[];
  upToRevision: number;
}

export interface EmailDigestDeps {
  delayMs: number;
  /** The user's stream folded for e-mail (the store, not a read model: always current). */
  emailStateOf(userId: string): Promise<EmailState>;
  /** The user's notification settings allow e-mail. */
  emailEnabled(userId: string): boolean;
  isMuted(userId: string, giveawayId: string): boolean;
  /** Who a message or notice in the conversation is for: the current giver and winner, but its sender. */
  recipientsOf(giveawayId: string, senderId: string | null): string[];
  conversationFor(giveawayId: string, userId: string): DigestConversationView | undefined;
  /** Composes and sends it (throws when the mail server refuses or cannot be reached). */
  sendDigest(digest: DigestToSend): Promise<void>;
  recordDigest(userId: string, data: { giveawayId: string; upToRevision: number; messageCount: number }): Promise<void>;
}

interface DigestWakeUp {
  giveawayId: string;
  userId: string;
}

const conversationEvents = new Set(["MessageSent", "SystemMessagePosted", "ConversationRead", "ConversationMuted", "ConversationUnmuted"]);
/** Besides its own events, what changes a user's e-mail state (the platform's address, the settings' switch): the cached state is dropped. */
const userEventsThatChangeEmail = new Set(["PlatformProfileRecorded", "NotificationSettingsChanged"]);
/** E-mail states remembered between batches (each dropped when the reactor sees its user's stream change). */
const cacheSize = 10_000;

export function emailDigestReactor(deps: EmailDigestDeps): DurableReactor {
  const states = new Map<string, Promise<EmailState>>();
  const stateOf = (userId: string): Promise<EmailState> => {
    let state = states.get(userId);
    if (!state) {
      if (states.size >= cacheSize) states.delete(states.keys().next().value!);
      state = deps.emailStateOf(userId);
      state.catch(() => states.delete(userId));
      states.set(userId, state);
    }
    return state;
  };

  /** The decision for one recipient now; `known` fills in what the read models may not show yet. */
  async function decide(giveawayId: string, userId: string, now: Date, known: { readAtLeast?: number; message?: DigestMessage } = {}): Promise<DigestDecision> {
    const state = await stateOf(userId);
    const address = digestAddress(state);
    // Most people have no address: no read-model query for them.
    if (address === undefined) return { kind: "none", reason: "no_address" };
    const view = deps.conversationFor(giveawayId, userId);
    const readUpTo = Math.max(view?.readUpTo ?? -1, known.readAtLeast ?? -1);
    const digestedUpTo = state.digestedUpTo[giveawayId] ?? -1;
    const messages = view?.messagesAfter(Math.max(readUpTo, digestedUpTo)) ?? [];
    if (known.message && !messages.some((message) => message.id === known.message!.id)) messages.push(known.message);
    return decideDigest(
      { recipientId: userId, address, emailEnabled: deps.emailEnabled(userId), muted: deps.isMuted(userId, giveawayId), participant: view?.participant ?? false, readUpTo, digestedUpTo, messages },
      now,
      deps.delayMs,
    );
  }

  async function reconsider(context: DurableContext, giveawayId: string, userId: string, known: { readAtLeast?: number; message?: DigestMessage } = {}) {
    const now = context.now();
    const decision = await decide(giveawayId, userId, now, known);
    const at = digestWakeUpAt(decision, now);
    const wake: DigestWakeUp = { giveawayId, userId };
    if (at) context.schedule(digestKey(giveawayId, userId), at, wake);
    // Nobody without an address has a wake-up to drop (and a stale one would decide nothing): no write for them.
    else if (decision.kind === "none" && decision.reason !== "no_address") context.cancel(digestKey(giveawayId, userId));
  }

  async function handleOne(projected: ProjectedEvent, context: DurableContext) {
    if (projected.stream === "user") {
      states.delete(projected.recorded.streamId.slice("user-".length));
      return;
    }
    const { giveawayId, event } = projected;
    const revision = Number(projected.recorded.revision);
    switch (event.type) {
      case "MessageSent":
      case "SystemMessagePosted": {
        const senderId = event.type === "MessageSent" ? event.data.senderId : null;
        // Answering is reading: the sender's own digest of this conversation is no longer due.
        if (senderId !== null) await reconsider(context, giveawayId, senderId, { readAtLeast: revision });
        const message: DigestMessage = {
          id: event.data.messageId,
          revision,
          senderId,
          senderName: null,
          content: event.data.content,
          sentAt: event.type === "MessageSent" ? event.data.sentAt : event.data.postedAt,
          attachments: [],
        };
        for (const recipientId of deps.recipientsOf(giveawayId, senderId)) await reconsider(context, giveawayId, recipientId, { message });
        return;
      }
      case "ConversationRead":
        return reconsider(context, giveawayId, event.data.userId, { readAtLeast: event.data.upToRevision });
      case "ConversationMuted":
      case "ConversationUnmuted":
        return reconsider(context, giveawayId, event.data.userId);
      default:
        return;
    }
  }

  return {
    name: emailDigestsName,
    kind: "durable",
    firstStart: "end",
    canHandle: (projected) =>
      projected.stream === "user" ? isEmailEventType(projected.event.type) || userEventsThatChangeEmail.has(projected.event.type) : conversationEvents.has(projected.event.type),
    async handle(batch, context) {
      for (const projected of batch) await handleOne(projected, context);
    },
    async wake(wakeUp, context) {
      const { giveawayId, userId } = wakeUp.payload as DigestWakeUp;
      states.delete(userId); // decide on the user's stream as it is now
      const decision = await decide(giveawayId, userId, context.now());
      if (decision.kind === "later") return context.schedule(wakeUp.key, decision.dueAt, wakeUp.payload);
      if (decision.kind !== "send") return;
      const view = deps.conversationFor(giveawayId, userId);
      if (wakeUp.attempts > 0) metrics.mails.inc({ kind: "digest", outcome: "retried" });
      try {
        await deps.sendDigest({ to: decision.address, recipientId: userId, giveawayId, title: view?.title ?? "a giveaway", messages: decision.messages, upToRevision: decision.upToRevision });
      } catch (error) {
        metrics.mails.inc({ kind: "digest", outcome: "failed" });
        log.warn({ giveawayId, userId, attempt: wakeUp.attempts + 1, ...errorFields(error) }, "digest not sent; trying again later");
        throw error;
      }
      metrics.mails.inc({ kind: "digest", outcome: "sent" });
      await deps.recordDigest(userId, { giveawayId, upToRevision: decision.upToRevision, messageCount: decision.messages.length });
      states.delete(userId);
    },
  };
}
