// A pickup proposal looked up in its giveaway's stream, newest first: what an acceptance (PickupAgreed
// names only the proposal's id) needs to know of it. Used by the reminders and the webhooks alike.
import type { PickupProposed } from "../domain/pickupEvents.ts";
import { parseGiveawayEvent } from "../domain/events.ts";
import { giveawayStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";

/** Events read at a time: the proposal is usually a few events before its acceptance. */
const pageSize = 200;

export type FindProposal = (giveawayId: string, proposalId: string, beforeRevision: bigint) => Promise<PickupProposed | undefined>;

export function proposalFromStore(store: EventStore): FindProposal {
  return async (giveawayId, proposalId, beforeRevision) => {
    let from = beforeRevision;
    while (from >= 0n) {
      let page;
      try {
        page = await store.readStream(giveawayStream(giveawayId), { direction: "backwards", fromRevision: from, maxCount: pageSize });
      } catch (error) {
        if (hasErrorCode(error, "stream_not_found")) return undefined;
        throw error;
      }
      for (const recorded of page) {
        if (recorded.type !== "PickupProposed") continue;
        const event = parseGiveawayEvent(recorded.type, recorded.data);
        if (event.type === "PickupProposed" && event.data.proposalId === proposalId) return event.data;
      }
      if (page.length < pageSize) return undefined;
      from = page[page.length - 1]!.revision - 1n;
    }
    return undefined;
  };
}
