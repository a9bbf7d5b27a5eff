// What live/conversationFeed.ts reads, built from the application: the timeline read model, the hub,
// this process's applied revisions and the participant rule, and nothing else.
import type { ConversationFeedSources } from "../live/conversationFeed.ts";
import { mayReadRevision } from "../domain/pickupAccess.ts";
import { readerAccess } from "./conversationAccessQuery.ts";
import type { Clock, LiveServices, ReadYourWritesServices, Reads } from "./services.ts";

export type FeedSourceServices = Reads & Clock & LiveServices & ReadYourWritesServices;

/** One per handoff, shared by every stream (each stream holding its own copy cost memory per connection). */
const built = new WeakMap<FeedSourceServices, ConversationFeedSources>();

export function conversationFeedSources(handoff: FeedSourceServices): ConversationFeedSources {
  let sources = built.get(handoff);
  if (!sources) {
    sources = buildSources(handoff);
    built.set(handoff, sources);
  }
  return sources;
}

const everyRevision = () => true;
const noRevision = () => false;

function buildSources(handoff: FeedSourceServices): 
ConversationFeedSources {
  return {
    timelinePage: (giveawayId, afterRevision, limit) => handoff.queries.timelinePage(giveawayId, afterRevision, limit),
    hub: handoff.hub,
    appliedRevision: (giveawayId) => handoff.readYourWrites.appliedRevision(giveawayId),
    readerOf(giveawayId, userId) {
      // The giver reads every round, whatever a redraw does. A winner's rounds are read once here,
      // not per event and connection: the feed asks again after each pickup event (a redraw).
      if (handoff.queries.giveawayById(giveawayId)?.giverId === userId) return everyRevision;
      const access = readerAccess(handoff.queries, giveawayId, userId, handoff.now());
      if (!access.ok) return noRevision;
      // Only the rounds are kept: a stream follows for hours, and the whole access holds the giveaway's row.
      const granted = { rounds: access.rounds };
      return (revision) => mayReadRevision(granted, revision);
    },
  };
}
