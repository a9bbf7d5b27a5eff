// A pickup event on the chat's HTML stream: the panel (status, plan, buttons) swapped in place, a
// new proposal's card appended in order with the messages, older cards updated (answered, replaced).
import { readerAccess, visibleTo } from "../../app/conversationAccessQuery.ts";
import type { Clock, Configured, Ids, Reads } from "../../app/services.ts";
import type { SseFrame } from "../sse/sseStream.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { cardModel, pickupPanel } from "./pickupView.ts";

export type PickupFrameServices = Reads & Clock & Ids & Configured;

export function pickupFrame(handoff: PickupFrameServices, 
renderer: PageRenderer, giveawayId: string, viewerId: string, revision: number, newProposalId?: string): SseFrame | undefined {
  const access = readerAccess(handoff.queries, giveawayId, viewerId, handoff.now());
  if (!access.ok) return undefined;
  const panel = pickupPanel(handoff, access, viewerId);
  let html = renderer.partial("./partials/pickupPanel", { panel, oob: true, proposalId: handoff.newId() });
  for (const proposal of visibleTo(access, handoff.queries.proposalsOf(giveawayId))) {
    const isNew = proposal.proposalId === newProposalId;
    // Existing cards are replaced where they are (htmx skips one that is not on the page).
    html += renderer.partial("./partials/pickupCard", { card: cardModel(proposal, viewerId, panel), oob: !isNew });
  }
  return { id: revision, data: html };
}
