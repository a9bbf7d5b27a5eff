// What a moderator does, for the API and the pages alike: the queue, opening a report's context
// (recorded, then replayed as it stood when reported), and the four actions. Refusals are values.
import { replayConversation, type ConversationAt } from "../audit/conversationReplay.ts";
import { storeUserNames } from "../audit/userNames.ts";
import type { DomainError } from "../domain/errors.ts";
import type { GiveawayCommand } from "../domain/giveawayDecide.ts";
import type { ModeratorActor } from "../domain/moderationUsers.ts";
import { suspensionHolds } from "../domain/moderators.ts";
import type { CommandContext } from "../domain/eventMetadata.ts";
import type { Handoff } from "./handoff.ts";

export const moderationActions = ["dismiss", "hide", "suspend", "unsuspend"] as const;
export type ModerationActionName = (typeof moderationActions)[number];

export interface ModerationActionInput {
  action: ModerationActionName;
  reason: string;
  reportId?: string | undefined;
  giveawayId?: string | undefined;
  messageId?: string | undefined;
  userId?: string | undefined;
  until?: Date | undefined;
}

/** A report as the queue shows it: who, why, and where (the giveaway and, maybe, the message). */
export interface QueuedReport {
  id: string;
  giveawayId: string;
  giveawayTitle: string;
  reportedUser: { id: string; name: string };
  reporter: { id: string; name: string };
  reason: string;
  note: string | null;
  messageId: string | null;
  atRevision: number;
  filedAt: string;
}

export type ModerationOutcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export type ModerationActionServices = Pick<Handoff, "queries" | "commands" | "moderation" | "store" | "now" | "readYourWrites">;

const refusal = (code: DomainError["code"], message: string) => ({ ok: false as const, error: { code, message } });

export function moderatorOf(handoff: Pick<Handoff, "queries">, userId: string): ModeratorActor {
  return { id: userId, isModerator: handoff.queries.isModerator(userId) };
}

export function reportQueue(handoff: Pick<Handoff, "queries">): QueuedReport[] {
  const nameOf = (id: string) => handoff.queries.userById(id)?.username ?? "?";
  return handoff.queries.openReports().map((report) => ({
    id: report.id,
    giveawayId: report.giveawayId,
    giveawayTitle: handoff.queries.giveawayById(report.giveawayId)?.title ?? "?",
    reportedUser: { id: report.reportedUserId, name: nameOf(report.reportedUserId) },
    reporter: { id: report.reporterId, name: nameOf(report.reporterId) },
    reason: report.reason,
    note: report.note,
    messageId: report.messageId,
    atRevision: report.atRevision,
    filedAt: report.filedAt,
  }));
}

/** Records that the moderator looked, then replays the conversation up to the report's revision. */
export async function openReportContext(handoff: ModerationActionServices, by: ModeratorActor, reportId: string, context: CommandContext): Promise<ModerationOutcome<{ report: QueuedReport; conversation: ConversationAt }>> {
  if (!by.isModerator) return refusal("not_moderator", "only a moderator can do this");
  const report = handoff.queries.reportById(reportId);
  if (!report) return refusal("report_not_found", "no such report");
  const recorded = await handoff.commands(report.giveawayId, { type: "RecordModeratorView", by, reportId, now: handoff.now() }, context);
  if (!recorded.ok) return recorded;
  // A moderator reads every round of it: the report may be about any of them.
  const conversation = await replayConversation(handoff.store, report.giveawayId, { kind: "revision", revision: BigInt(report.atRevision) }, storeUserNames(handoff.store), "operator");
  const queued = reportQueue(handoff).find((item) => item.id === reportId) ?? queuedOf(handoff, report.id);
  return { ok: true, value: { report: queued, conversation } };
}

function queuedOf(handoff: Pick<Handoff, "queries">, reportId: string): QueuedReport {
  const report = handoff.queries.reportById(reportId)!;
  const nameOf = (id: string) => handoff.queries.userById(id)?.username ?? "?";
  return {
    ...report,
    giveawayTitle: handoff.queries.giveawayById(report.giveawayId)?.title ?? "?",
    reportedUser: { id: report.reportedUserId, name: nameOf(report.reportedUserId) },
    reporter: { id: report.reporterId, name: nameOf(report.reporterId) },
  };
}

/** The outcome names what was acted on: the giveaway and its revision, or the user. */
export type ActionDone = { giveawayId: string; revision: bigint } | { userId: string };

export async function runModerationAction(handoff: ModerationActionServices, 
by: ModeratorActor, input: ModerationActionInput, context: CommandContext): Promise<ModerationOutcome<ActionDone>> {
  if (!by.isModerator) return refusal("not_moderator", "only a moderator can do this");
  const now = handoff.now();
  const { action, reason } = input;
  if (action === "suspend" || action === "unsuspend") {
    const userId = input.userId ?? (input.reportId === undefined ? undefined : handoff.queries.reportById(input.reportId)?.reportedUserId);
    if (userId === undefined) return refusal(input.reportId === undefined ? "invalid_moderation" : "report_not_found", input.reportId === undefined ? "name the user (userId) or a report (reportId)" : "no such report");
    const result = await handoff.moderation.actOnUser(
      action === "suspend" ? { type: "SuspendUser", by, userId, reason, until: input.until, now } : { type: "UnsuspendUser", by, userId, reason, now },
      context,
    );
    if (!result.ok) return result;
    return { ok: true, value: { userId } };
  }
  const report = input.reportId === undefined ? undefined : handoff.queries.reportById(input.reportId);
  if (input.reportId !== undefined && !report) return refusal("report_not_found", "no such report");
  const giveawayId = input.giveawayId ?? report?.giveawayId;
  let command: GiveawayCommand;
  if (action === "dismiss") {
    if (!report) return refusal("invalid_moderation", "name the report to dismiss (reportId)");
    command = { type: "DismissReport", by, reportId: report.id, reason, now };
  } else {
    const messageId = input.messageId ?? report?.messageId ?? undefined;
    if (messageId === undefined || giveawayId === undefined) return refusal("invalid_moderation", "name the message to hide (giveawayId and messageId, or a report about a message)");
    command = { type: "HideMessage", by, messageId, reason, now };
  }
  if (giveawayId === undefined || (report && giveawayId !== report.giveawayId)) return refusal("invalid_moderation", "the report is about another giveaway");
  const result = await handoff.commands(giveawayId, command, context);
  if (!result.ok) return result;
  return { ok: true, value: { giveawayId, revision: result.revision } };
}

/** For a suspension (a user-stream write): true once this process's read model shows it. */
export function showsSuspension(handoff: Pick<Handoff, "queries" | "now">, userId: string, suspended: boolean): boolean {
  return suspensionHolds(handoff.queries.suspensionOf(userId), handoff.now()) === suspended;
}
