// Reports, in the giveaway's stream beside the conversation they are about (events.ts registers
// them). Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

export const reportReasons = ["spam", "scam", "harassment", "other"] as const;
export type ReportReason = (typeof reportReasons)[number];

export const reportNoteMaxLength = 1000;

/**
 * A participant reported the other person, for one message or the whole conversation.
 * `atRevision`: the stream's revision when it was filed, so a moderator replays the conversation as it stood.
 */
export const ReportFiledSchema = z.object({
  reportId: id,
  reporterId: id,
  reportedUserId: id,
  reason: z.enum(reportReasons),
  note: z.string().max(reportNoteMaxLength).optional(),
  messageId: id.optional(),
  atRevision: z.int().min(0),
  filedAt: instant,
});

export type ReportFiled = z.output<typeof ReportFiledSchema>;

export const reportEvents = eventFamily("report", {
  ReportFiled: ReportFiledSchema,
});

export type ReportEvent = EventsOf<typeof reportEvents.schemas>;
