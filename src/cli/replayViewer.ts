// Whose audit `npm run replay` prints: the operator's (every round, the default), or with
// `--as <username|userId>` what the participant rule gives that user now, as the page would.
import { conversationAccess } from "../domain/conversationAccess.ts";
import { conversationFactsOf } from "../domain/conversationReaders.ts";
import { parseGiveawayEvent } from "../domain/events.ts";
import { evolve, initialState, type GiveawayState } from "../domain/giveaway.ts";
import { isId } from "../domain/ids.ts";
import { giveawayStream } from "../domain/streams.ts";
import type { EventStore } from "../eventstore/port.ts";
import type { AuditViewer } from "../audit/auditedStream.ts";
import { readStreamPages } from "../audit/storePages.ts";
import { storeUserIdOf } from "../audit/userNames.ts";
import { CliError } from "./cliStore.ts";

export async function replayViewer(store: EventStore, giveawayId: string, as: string | undefined, now: Date): Promise<AuditViewer> {
  if (as === undefined) return "operator";
  const userId = isId(as) ? as : await storeUserIdOf(store, as);
  if (userId === undefined) throw new CliError(`--as: no user ${as}`);
  let state: GiveawayState = initialState;
  for await (const event of readStreamPages(store, giveawayStream(giveawayId))) {
    let parsed;
    try {
      parsed = parseGiveawayEvent(event.type, event.data);
    } catch {
      continue; // an unreadable event is never folded (the replay says so)
    }
    state = evolve(state, parsed, Number(event.revision));
  }
  const access = conversationAccess(conversationFactsOf(state, userId), userId, now);
  if (!access.ok) throw new CliError(`--as ${as}: ${access.message}`);
  return { userId };
}
