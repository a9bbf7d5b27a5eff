// GET /giveaways/:id/audit[?revision=<n>|?time=<ISO>][&view=technical]: the conversation as it stood
// then, one event per line: in plain words by default, with event names, ids and revisions in the technical view.
import type { Request, Response } from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import { replayConversation } from "../../audit/conversationReplay.ts";
import { parseUntil, type Until } from "../../audit/until.ts";
import { giveawayStream } from "../../domain/streams.ts";
import { hasErrorCode } from "../../eventstore/port.ts";
import { identityOf } from "../authentication.ts";
import { isId } from "../../domain/ids.ts";
import { auditAccess, type AuditAccessServices } from "./auditAccess.ts";
import { auditedLineView } from "./auditLineView.ts";
import { storyOf } from "./auditStory.ts";
import { readableTime, viewerTimeZone } from "../pages/readableTime.ts";
import { renderAuditView } from "./auditViews.ts";

const AuditQuery = z.object({
  revision: z.string().max(40).optional(),
  time: z.string().max(60).optional(),
});

/** The technical view is asked for by name; anything else is the history in plain words. */
const TechnicalView = z.object({ view: z.literal("technical") });
const viewOf = (query: unknown): "people" | "technical" => (TechnicalView.safeParse(query).success ? "technical" : "people");

/** The replay reads the log itself: the raw store, besides who may see it and users' names. */
export type AuditPageServices = AuditAccessServices & Pick<Handoff, "store">;

type Choice = { ok: true; until: Until | undefined; revisionText: string; timeText: string } | { ok: false; message: string; revisionText: string; timeText: string };

/** Empty fields count as not given; a revision and a time together are ambiguous. */
function chosenPoint(query: unknown): Choice {
  const parsed = AuditQuery.safeParse(query);
  if (!parsed.success) return { ok: false, message: "Give one revision or one time.", revisionText: "", timeText: "" };
  const revisionText = parsed.data.revision?.trim() ?? "";
  const timeText = parsed.data.time?.trim() ?? "";
  const texts = { revisionText, timeText };
  if (revisionText && timeText) return { ok: false, message: "Choose a revision or a time, not both.", ...texts };
  if (revisionText) {
    const result = parseUntil(revisionText);
    if (!result.ok || result.until.kind !== "revision") return { ok: false, message: "A revision is a whole number from 0.", ...texts };
    return { ok: true, until: result.until, ...texts };
  }
  if (timeText) {
    const result = parseUntil(timeText);
    if (!result.ok || result.until.kind !== "time") {
      return { ok: false, message: "A time is an ISO 8601 date-time such as 2024-05-01T12:00:00Z (without a zone it is read as UTC).", ...texts };
    }
    return { ok: true, until: result.until, ...texts };
  }
  return { ok: true, until: undefined, ...texts };
}

/** Lines per audit page: the page ends at the chosen point; earlier lines are a link (or the form) away. */
export const auditLinesPerPage = 100;

export function auditPage(handoff: AuditPageServices) {

  return async (req: Request<{ id: string }>, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.id;
    const access = isId(giveawayId) ? await auditAccess(handoff, giveawayId, identity.userId) : ({ ok: false, code: "giveaway_not_found" } as const);
    if (!access.ok) {
      const notFound = access.code === "giveaway_not_found";
      return renderAuditView(res, notFound ? 404 : access.code === "conversation_closed" ? 409 : 403, "refusal", {
        title: notFound ? "Not found" : "Not your giveaway",
        message: notFound
          ? "There is no giveaway here. It may have been a mistyped link."
          : "Only the giver and the winner can see this audit, once the winner has been drawn.",
      });
    }
    const base = `/giveaways/${encodeURIComponent(giveawayId)}/audit`;
    const choice = chosenPoint(req.query);

    let head: bigint;
    try {
      const [last] = await handoff.store.readStream(giveawayStream(giveawayId), { direction: "backwards", maxCount: 1 });
      head = last?.revision ?? -1n;
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      head = -1n;
    }
    const nameOf = async (userId: string) => handoff.queries.userById(userId)?.username;
    const until = choice.ok ? choice.until : undefined;
    const conversation = choice.ok && head >= 0n ? await replayConversation(handoff.store, giveawayId, until, nameOf, { userId: identity.userId }, auditLinesPerPage) : undefined;
    const revision = conversation?.revision ?? -1;
    const headRevision = Number(head);
    const view = viewOf(req.query);
    // Links keep the view they were followed from (the plain words need no parameter).
    const inView = (query: string) => (view === "technical" ? `${base}?view=technical${query && `&${query}`}` : `${base}${query && `?${query}`}`);
    const step = (to: number) => inView(`revision=${to}`);
    const pointQuery = choice.revisionText ? `revision=${encodeURIComponent(choice.revisionText)}` : choice.timeText ? `time=${encodeURIComponent(choice.timeText)}` : "";
    const lines = conversation?.lines ?? [];
    const firstShown = lines[0]?.revision;
    // Times in the reader's zone when their browser told us (a cookie), else in UTC, saying so.
    const zone = viewerTimeZone(req.headers.cookie);
    const timeText = (iso: string) => readableTime(iso, zone);
    const stories = storyOf(lines, conversation?.names ?? new Map(), timeText);

    renderAuditView(res, choice.ok ? 200 : 422, "page", {
      title: `${view === "technical" ? "Audit" : "History"}: ${access.giveaway.title}`,
      view,
      technicalHref: `${base}?view=technical${pointQuery && `&${pointQuery}`}`,
      peopleHref: `${base}${pointQuery && `?${pointQuery}`}`,
      user: identity.username,
      giveaway: access.giveaway,
      base,
      error: choice.ok ? undefined : choice.message,
      revisionText: choice.revisionText || (conversation && until?.kind !== "time" ? String(revision) : ""),
      timeText: choice.timeText,
      lines: lines.map((line, index) => ({ ...auditedLineView(line, conversation!.names), recordedText: timeText(line.recordedAt), story: stories[index] })),
      // The page before: the conversation as it stood just before the first line shown here.
      earlier: conversation && conversation.earlierLines > 0 && firstShown !== undefined ? step(firstShown - 1) : undefined,
      earlierLines: conversation?.earlierLines ?? 0,
      firstShown,
      shown: conversation !== undefined,
      revision,
      headRevision,
      beyondHead: until?.kind === "revision" && until.revision > head,
      previous: conversation && revision >= 1 ? step(revision - 1) : undefined,
      next: conversation && revision < headRevision ? step(revision + 1) : undefined,
      latest: conversation && revision < headRevision ? inView("") : undefined,
    });
  };
}
