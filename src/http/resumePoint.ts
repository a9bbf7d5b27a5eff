// The one resume-point rule for every conversation stream (API and pages): Last-Event-ID (what a
// reconnecting EventSource sends) wins over ?after (what a first connection names); with neither,
// only new messages. A malformed point is a 422; a point beyond the stream's head is a 409 (never a
// silent stream). "Beyond" is judged after waiting briefly for this process's read models, so a
// client that reconnects to a process a moment behind the one it left is not refused.
import type { IncomingMessage } from "node:http";
import type { Handoff } from "../app/handoff.ts";

export type ResumePoint =
  | { ok: true; after: number | "now" }
  | { ok: false; code: "invalid_resume_point" | "resume_point_ahead"; message: string };

/** How long a stream waits for its read models to reach a resume point before refusing it. */
export const resumeWaitMs = 1000;

const revisionText = /^-?\d{1,15}$/;

/** The point as the client gave it; pure, no knowledge of the stream. */
export function parseResumePoint(lastEventId: string | string[] | undefined, after: string | string[] | undefined): ResumePoint {
  const given = typeof lastEventId === "string" && lastEventId.trim() !== "" ? { value: lastEventId, name: "Last-Event-ID" } : after !== undefined ? { value: after, name: "after" } : undefined;
  if (!given) return { ok: true, after: "now" };
  const text = typeof given.value === "string" ? given.value.trim() : undefined;
  if (text === undefined || !revisionText.test(text) || Number(text) < -1) {
    return { ok: false, code: "invalid_resume_point", message: `${given.name} must be one revision: a whole number of at least -1 (-1: from the start)` };
  }
  return { ok: true, after: Number(text) };
}

export function resumeAheadMessage(after: number, head: number): string {
  return `the resume point ${after} is beyond the conversation's newest revision (${head}): resume from ${head} or less, or -1 to replay from the start`;
}

/** The resume point of a request to stream `giveawayId`, checked against the stream's head. */
export async function resumePointOf(handoff: Pick<Handoff, "readYourWrites">, giveawayId: string, req: IncomingMessage, query: URLSearchParams): Promise<ResumePoint> {
  const values = query.getAll("after");
  const point = parseResumePoint(req.headers["last-event-id"], values.length > 1 ? values : values[0]);
  if (!point.ok || point.after === "now") return point;
  const after = point.after;
  if (handoff.readYourWrites.appliedRevision(giveawayId) >= after) return point;
  if (await handoff.readYourWrites.waitForGiveaway(giveawayId, after, resumeWaitMs)) return point;
  return { ok: false, code: "resume_point_ahead", message: resumeAheadMessage(after, handoff.readYourWrites.appliedRevision(giveawayId)) };
}
