// Which events of a conversation notify whom, away from the page: a new message, a reaction to one's
// message, a pickup proposal, the plan, the reminder, a redraw, a cancellation. Web Push and e-mail
// both ask this, so muting a conversation silences both (one rule). Pure: the caller passes the
// giveaway's fold *including* the event (so the message reacted to, the plan and the mutes are in it).
import type { GiveawayEvent } from "./events.ts";
import type { GiveawayState } from "./giveawayState.ts";

export type NoticeKind = "message" | "reaction" | "pickup_proposed" | "pickup_planned" | "pickup_reminder" | "redrawn" | "cancelled";

/** One person to tell about one event. */
export interface Notice {
  /** Who is told. */
  readonly userId: string;
  readonly giveawayId: string;
  /** The giveaway's title, as of the event. */
  readonly title: string;
  readonly kind: NoticeKind;
  /** Who did it; null when nobody did (a reminder, a platform notice, a platform's redraw). */
  readonly actorId: string | null;
  /** What happened, whole: a message's text, or a sentence. Cut to a preview (or left out) by previewOf. */
  readonly text: string;
}

/** Where a notice points (push and e-mail alike): the conversation, on PUBLIC_URL when it is set, else a path on the server's own origin. */
export function conversationLink(giveawayId: string, publicOrigin: string | undefined): string {
  const path = `/messages/${giveawayId}`;
  return publicOrigin ? new URL(path, publicOrigin).toString() : path;
}

/** The one mute rule: `userId` muted this conversation (push and e-mail alike). */
export function hasMuted(state: GiveawayState, userId: string): boolean {
  return state.status === "drawn" && (state.chat?.muted.has(userId) ?? false);
}

/** The event types that can notify anyone (what a reactor subscribes to). */
export const noticeEventTypes = [
  "MessageSent",
  "SystemMessagePosted",
  "ReactionAdded",
  "PickupProposed",
  "PickupProposalAccepted",
  "PickupReminderSent",
  "WinnerRedrawn",
  "GiveawayCancelled",
] as const satisfies readonly GiveawayEvent["type"][];

/** Who is told what about `event` (`state`: the fold including it); nobody who muted the conversation, never the one who did it. */
export function noticesFor(state: GiveawayState, event: GiveawayEvent): Notice[] {
  if (state.status !== "drawn") return [];
  const { giveawayId, giverId, winnerId, title } = state;
  /** The other side of the current conversation. */
  const otherOf = (userId: string) => (userId === giverId ? winnerId : userId === winnerId ? giverId : undefined);
  const placeOf = (proposalId: string | undefined) => (proposalId === undefined ? undefined : state.pickup.proposals.get(proposalId)?.place);
  const planned: { to: readonly (string | undefined)[]; kind: NoticeKind; actorId: string | null; text: string } | undefined = (() => {
    switch (event.type) {
      case "MessageSent":
        return { to: [otherOf(event.data.senderId)], kind: "message", actorId: event.data.senderId, text: event.data.content };
      case "SystemMessagePosted":
        return { to: [giverId, winnerId], kind: "message", actorId: null, text: event.data.content };
      case "ReactionAdded": {
        const senderId = state.messages.get(event.data.messageId)?.senderId ?? undefined;
        return { to: [senderId ?? undefined], kind: "reaction", actorId: event.data.userId, text: `Reacted ${event.data.emoji} to your message` };
      }
      case "PickupProposed":
        return { to: [otherOf(event.data.proposedBy)], kind: "pickup_proposed", actorId: event.data.proposedBy, text: `Proposes a pickup at ${event.data.place}` };
      case "PickupProposalAccepted": {
        const place = placeOf(event.data.proposalId);
        return { to: [otherOf(event.data.acceptedBy)], kind: "pickup_planned", actorId: event.data.acceptedBy, text: place ? `Accepted the pickup at ${place}` : "Accepted the pickup" };
      }
      case "PickupReminderSent": {
        const place = placeOf(event.data.proposalId);
        return { to: [giverId, winnerId], kind: "pickup_reminder", actorId: null, text: place ? `Pickup soon, at ${place}` : "Pickup soon" };
      }
      case "WinnerRedrawn":
        return undefined; // two texts: below
      case "GiveawayCancelled": {
        const reason = event.data.reason ? `: ${event.data.reason}` : "";
        return { to: [giverId, winnerId], kind: "cancelled", actorId: event.data.cancelledBy, text: `The giveaway was cancelled${reason}` };
      }
      default:
        return undefined;
    }
  })();
  const notices: Notice[] = [];
  const tell = (userId: string | undefined, kind: NoticeKind, actorId: string | null, text: string) => {
    if (userId === undefined || userId === actorId || hasMuted(state, userId) || notices.some((notice) => notice.userId === userId)) return;
    notices.push({ userId, giveawayId, title, kind, actorId, text });
  };
  if (event.type === "WinnerRedrawn") {
    // The giver redrew, unless the platform did (then the giver is told too).
    const actorId = event.data.reason === "platform" ? null : giverId;
    tell(event.data.winnerId, "redrawn", actorId, "You are the new winner: the chat with the giver is open");
    tell(event.data.previousWinnerId, "redrawn", actorId, "A new winner was drawn");
    tell(giverId, "redrawn", actorId, "A new winner was drawn");
  } else if (planned) {
    for (const userId of planned.to) tell(userId, planned.kind, planned.actorId, planned.text);
  }
  return notices;
}
