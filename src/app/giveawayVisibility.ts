// Who may see a giveaway: its place in the list, its page and its photos. Every signed-in person sees
// every giveaway (the list, GET /api/giveaways and /giveaways, is open to all of them); what is said
// about it is the giver's and the winner's alone (domain/conversationAccess.ts). One rule here, so a
// private giveaway, should one come, changes the list, the page and the photos in one place.
import type { GiveawayView } from "../projections/giveawaysProjection.ts";

export type GiveawaySight = { ok: true; giveaway: GiveawayView } | { ok: false; code: "giveaway_not_found"; message: string };

export function giveawaySight(queries: { giveawayById(giveawayId: string): GiveawayView | undefined }, giveawayId: string, _viewerId: string): GiveawaySight {
  const giveaway = queries.giveawayById(giveawayId);
  return giveaway ? { ok: true, giveaway } : { ok: false, code: "giveaway_not_found", message: "no such giveaway" };
}
