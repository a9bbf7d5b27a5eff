// A moderator's actions on a conversation: dismiss a report, hide a message, record a look at a
// report's context. Decided on the giveaway's stream like every fact in it (pure).
import { decided, refused, type Decision } from "./decision.ts";
import type { GiveawayEvent } from "./events.ts";
import type { GiveawayState } from "./giveaway.ts";
import { moderationStateOf } from "./moderationEvolve.ts";
import { moderationReasonProblem, type ModeratorActor } from "./moderationUsers.ts";

export interface DismissReport {
  readonly type: "DismissReport";
  readonly by: ModeratorActor;
  readonly reportId: string;
  readonly reason: string;
  readonly now: Date;
}

export interface HideMessage {
  readonly type: "HideMessage";
  readonly by: ModeratorActor;
  readonly messageId: string;
  readonly reason: string;
  readonly now: Date;
}

export interface RecordModeratorView {
  readonly type: "RecordModeratorView";
  readonly by: ModeratorActor;
  readonly reportId: string;
  readonly now: Date;
}

export type ModerationCommand = DismissReport | HideMessage | RecordModeratorView;

const moderationCommandTypes: ReadonlySet<string> = new Set<ModerationCommand["type"]>(["DismissReport", "HideMessage", "RecordModeratorView"]);

export function isModerationCommand(command: { type: string }): command is ModerationCommand {
  return moderationCommandTypes.has(command.type);
}

export function decideModeration(command: ModerationCommand, state: GiveawayState): Decision<GiveawayEvent> {
  const { by, now } = command;
  if (!by.isModerator) return refused("not_moderator", "only a moderator can do this");
  // Reports and messages exist only once the conversation has opened.
  if (state.status !== "drawn") {
    return command.type === "HideMessage" ? refused("message_not_found", "no such message in this conversation") : refused("report_not_found", "no such report");
  }
  const moderation = moderationStateOf(state);
  const at = now.toISOString();
  if (command.type === "HideMessage") {
    const problem = moderationReasonProblem(command.reason);
    if (problem) return refused("invalid_moderation", problem);
    const message = state.messages.get(command.messageId);
    if (!message) return refused("message_not_found", "no such message in this conversation");
    if (message.senderId === null) return refused("invalid_moderation", "a notice from the platform cannot be hidden");
    // Hidden once: hiding it again changes nothing.
    if (moderation.hidden.has(command.messageId)) return decided([]);
    return decided([{ type: "MessageHidden", data: { messageId: command.messageId, moderatorId: by.id, reason: command.reason.trim(), hiddenAt: at } }]);
  }
  const report = moderation.reports.get(command.reportId);
  if (!report) return refused("report_not_found", "no such report");
  if (command.type === "RecordModeratorView") {
    return decided([{ type: "ConversationViewedByModerator", data: { moderatorId: by.id, reportId: command.reportId, viewedAt: at } }]);
  }
  const problem = moderationReasonProblem(command.reason);
  if (problem) return refused("invalid_moderation", problem);
  if (!report.open) return refused("report_not_open", "this report was already dismissed");
  return decided([{ type: "ReportDismissed", data: { reportId: command.reportId, moderatorId: by.id, reason: command.reason.trim(), dismissedAt: at } }]);
}
