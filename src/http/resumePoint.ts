// The one resume-point rule for every conversation stream (API and pages): Last-Event-ID (what a
// reconnecting EventSource sends) wins over ?after (what a first connection names); with neither,
// only new messages. A malformed point is a 422; a point beyond the stream's head is a 409 (never a
// silent stream). "Beyond" is judged once this process's read models have caught up with the log
// (freshReads.ts), so a client that reconnects to a process a moment behind the one it left is not
// refused; if they cannot catch up in time, 503 read_model_lagging (thrown), never a wrong 409.
import type { IncomingMessage } from "node:http";
import type { Handoff } from "../app/handoff.ts";
import { catchUpOrRefuse } from "./freshReads.ts";

export type ResumePoint =
  | { ok: true; after: number | "now" }
  | { ok: false; code: "invalid_resume_point" | "resume_point_ahead"; message: string };

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
export async function resumePointOf(handoff: Pick<Handoff, "readYourWrites" | "freshness">, giveawayId: string, req: IncomingMessage, query: URLSearchParams): Promise<ResumePoint> {
  const values = query.getAll("after");
  const point = parseResumePoint(req.headers["last-event-id"], values.length > 1 ? values : values[0]);
  if (!point.ok || point.after === "now") return point;
  const after = point.after;
  if (handoff.readYourWrites.appliedRevision(giveawayId) >= after) return point;
  await catchUpOrRefuse(handoff);
  if (handoff.readYourWrites.appliedRevision(giveawayId) >= after) return point;
  return { ok: false, code: "resume_point_ahead", message: resumeAheadMessage(after, handoff.readYourWrites.appliedRevision(giveawayId)) };
}
