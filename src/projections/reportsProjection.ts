// Reports filed by participants, for the moderators' queue (openReports, newest first).
//
// reports: one row per ReportFiled (giveaway-<id> streams).
//   id                the report's id (ReportFiled.reportId)
//   giveaway_id       the conversation it is about
//   reporter_id       who filed it (a participant)
//   reported_user_id  the other person (a reported message's sender)
//   reason            spam | scam | harassment | other
//   note              the reporter's words, or NULL
//   message_id        the reported message, or NULL for the whole conversation
//   at_revision       the stream's revision when filed: replay the conversation up to it
//   filed_at          when (ISO)
//   status            "open" until a moderator acts on it (moderation updates it)
import type Database from "better-sqlite3";
import type { ReportReason } from "../domain/reportsEvents.ts";
import type { Projection } from "./projection.ts";

export const reportsProjection = {
  name: "reports",
  streams: ["giveaway"],
  schema: `CREATE TABLE IF NOT EXISTS reports (
  id TEXT PRIMARY KEY, giveaway_id TEXT NOT NULL, reporter_id TEXT NOT NULL, reported_user_id TEXT NOT NULL, reason TEXT NOT NULL,
  note TEXT, message_id TEXT, at_revision INTEGER NOT NULL, filed_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open');
CREATE INDEX IF NOT EXISTS reports_by_status ON reports (status, filed_at);`,
  prepare(db) {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO reports (id, giveaway_id, reporter_id, reported_user_id, reason, note, message_id, at_revision, filed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // A moderator's dismissal takes the report out of the queue (moderationDecide.ts).
    const dismiss = db.prepare("UPDATE reports SET status = 'dismissed' WHERE id = ?");
    return (projected) => {
      if (projected.stream === "giveaway" && projected.event.type === "ReportDismissed") return void dismiss.run(projected.event.data.reportId);
      if (projected.stream !== "giveaway" || projected.event.type !== "ReportFiled") return;
      const { reportId, reporterId, reportedUserId, reason, note, messageId, atRevision, filedAt } = projected.event.data;
      insert.run(reportId, projected.giveawayId, reporterId, reportedUserId, reason, note ?? null, messageId ?? null, atRevision, filedAt);
    };
  },
  queries: reportsQueries,
} satisfies Projection;

export interface ReportView {
  id: string;
  giveawayId: string;
  reporterId: string;
  reportedUserId: string;
  reason: ReportReason;
  note: string | null;
  messageId: string | null;
  atRevision: number;
  filedAt: string;
  status: string;
}

const columns = `id, giveaway_id AS giveawayId, reporter_id AS reporterId, reported_user_id AS reportedUserId, reason, note,
  message_id AS messageId, at_revision AS atRevision, filed_at AS filedAt, status`;

export function reportsQueries(db: Database.Database) {
  const open = db.prepare<[], ReportView>(`SELECT ${columns} FROM reports WHERE status = 'open' ORDER BY filed_at DESC, id`);
  const byId = db.prepare<[string], ReportView>(`SELECT ${columns} FROM reports WHERE id = ?`);
  return {
    /** The moderators' queue: every open report, newest first. */
    openReports: (): ReportView[] => open.all(),
    reportById: (id: string): ReportView | undefined => byId.get(id),
  };
}
