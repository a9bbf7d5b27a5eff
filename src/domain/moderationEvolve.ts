// What moderation keeps of a drawn giveaway's stream: its reports (open or dismissed) and hidden messages.
import type { GiveawayEvent } from "./events.ts";
import type { DrawnGiveaway, ModerationState } from "./giveawayState.ts";
import { moderationGiveawayEvents, type ModerationGiveawayEvent } from "./moderationEvents.ts";
import type { ReportEvent } from "./reportsEvents.ts";

const emptyModeration: ModerationState = { reports: new Map(), hidden: new Set() };

export function moderationStateOf(state: DrawnGiveaway): ModerationState {
  return state.moderation ?? emptyModeration;
}

/** Moderation's own events; ReportFiled reaches evolveModeration from giveaway.ts's switch. */
export function isModerationEvent(event: GiveawayEvent): event is ModerationGiveawayEvent {
  return moderationGiveawayEvents.has(event.type);
}

export function evolveModeration(state: DrawnGiveaway, event: ModerationGiveawayEvent | ReportEvent): DrawnGiveaway {
  const moderation = moderationStateOf(state);
  const next = (change: Partial<ModerationState>): DrawnGiveaway => ({ ...state, moderation: { ...moderation, ...change } });
  switch (event.type) {
    case "ReportFiled":
      if (moderation.reports.has(event.data.reportId)) return state;
      return next({ reports: new Map(moderation.reports).set(event.data.reportId, { open: true }) });
    case "ReportDismissed":
      if (!moderation.reports.has(event.data.reportId)) return state;
      return next({ reports: new Map(moderation.reports).set(event.data.reportId, { open: false }) });
    case "MessageHidden":
      return next({ hidden: new Set(moderation.hidden).add(event.data.messageId) });
    case "ConversationViewedByModerator":
      return state;
    default:
      return event satisfies never;
  }
}
