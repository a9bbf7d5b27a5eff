// The inbox: each conversation the user is in, the item's cover, the other person (with their avatar),
// the last message, the unread count, a pickup reminder once it was sent, and what the conversation
// is now (a former winner's, a cancelled one, the giver's with a new winner) in the chat's own words.
import express, { type Request, type Response } from "express";
import type { Clock, Configured, Reads } from "../../app/services.ts";
import type { InboxEntry } from "../../projections/inboxProjection.ts";
import { identityOf } from "../authentication.ts";
import { avatarOfUser } from "./avatar.ts";
import { coverOf } from "./giveawayPictures.ts";
import { formerWinnerLabel, statusLabels } from "./pickupView.ts";
import { standingReminder } from "./standingReminder.ts";
import type { PageRenderer } from "./pageRenderer.ts";

/** The badge, and what an empty conversation says: "Say hello!" only where one can. */
function stateOf(handoff: Reads, entry: InboxEntry, userId: string) {
  const giveaway = handoff.queries.giveawayById(entry.giveawayId);
  if (giveaway && giveaway.giverId !== userId && giveaway.winnerId !== userId) {
    return { status: "redrawn", label: formerWinnerLabel, emptyText: "No messages.", newRound: false };
  }
  const talking = entry.status === "drawn" || entry.status === "pickup_agreed";
  // The giver after a redraw: the last message was to the former winner, the new one has not spoken yet.
  const rounds = giveaway?.giverId === userId ? handoff.queries.roundsOf(entry.giveawayId) : [];
  const current = rounds.length > 1 ? rounds.at(-1) : undefined;
  const newRound = current !== undefined && (entry.lastMessageRevision ?? -1) < current.fromRevision;
  const label = entry.status === "drawn" ? "Drawn" : (statusLabels[entry.status] ?? entry.status);
  return { status: entry.status, label, emptyText: talking ? (newRound ? `Now talking with ${entry.otherUsername}: say hello!` : "No messages yet. Say hello!") : "No messages.", newRound };
}

export function inboxPage(handoff: Reads & Configured & Clock, 
renderer: PageRenderer): express.Router {
  const router = express.Router();
  const imageOrigins = handoff.config.platform?.imageOrigins ?? [];
  router.get("/inbox", (_req: Request, res: Response) => {
    const identity = identityOf(res);
    const { queries } = handoff;
    const conversations = queries.inboxFor(identity.userId).map((entry) => ({
      ...entry,
      state: stateOf(handoff, entry, identity.userId),
      cover: coverOf({ id: entry.giveawayId, title: entry.title, coverPhotoId: queries.giveawayById(entry.giveawayId)?.coverPhotoId ?? null }),
      otherAvatar: avatarOfUser(queries, { id: entry.otherUserId, username: entry.otherUsername }, imageOrigins),
      reminder: standingReminder(handoff, entry.giveawayId, identity.userId, handoff.now()),
    }));
    renderer.page(res, 200, "./inbox", { title: "Inbox", identity, conversations });
  });
  return router;
}
