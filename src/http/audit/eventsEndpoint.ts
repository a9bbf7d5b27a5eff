// GET /api/giveaways/:id/events[?until=<revision|ISO time>][&format=ndjson]: the giveaway's stream as stored.
import type { Request, Response } from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { Reads } from "../../app/services.ts";
import type { AuditEvent } from "../../audit/auditEvent.ts";
import { auditedEventsUntil, type AuditViewer, type ReadersChange } from "../../audit/auditedStream.ts";
import { parseUntil, type Until } from "../../audit/until.ts";
import { hasErrorCode } from "../../eventstore/port.ts";
import { identityOf } from "../authentication.ts";
import { isId } from "../../domain/ids.ts";
import { sendApiError } from "../errorAnswers.ts";
import { auditAccess, type AuditAccessServices } from "./auditAccess.ts";

/** The audit replays the log itself: the raw store, besides who may see it. */
export type EventsEndpointServices = AuditAccessServices & Pick<Handoff, "store">;

const EventsQuery = z.object({
  until: z.string().optional(),
  format: z.enum(["json", "ndjson"]).default("json"),
});

/** Waits until the socket takes more (true), or the client is gone (false). */
function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (more: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(more);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

/**
 * Writes the answer as it is read from the store, a page at a time, waiting whenever the client
 * falls behind: memory per request is one store page and the socket's buffer, however long the
 * stream. The first event is read before the status goes out, so "no such stream" is still a 404.
 */
async function streamAnswer(res: Response, events: AsyncGenerator<AuditEvent>, format: "json" | "ndjson", trailer: () => object): Promise<void> {
  try {
    let item = await events.next();
    res.status(200).setHeader("Content-Type", format === "json" ? "application/json; charset=utf-8" : "application/x-ndjson; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (format === "json") res.write('{"events":[');
    for (let index = 0; !item.done; index++) {
      if (res.destroyed) return; // the client left: stop reading the store
      const text = format === "json" ? `${index > 0 ? "," : ""}${JSON.stringify(item.value)}` : `${JSON.stringify(item.value)}\n`;
      if (!res.write(text) && !(await drained(res))) return;
      item = await events.next();
    }
    res.end(format === "json" ? `],${JSON.stringify(trailer()).slice(1)}` : undefined);
  } finally {
    await events.return(undefined);
  }
}

/** The events the participant rule gives the viewer, as they are shown to them; the readers' changes are collected on the side. */
async function* auditEvents(handoff: Pick<Handoff, "store">, giveawayId: string, until: Until | undefined, viewer: AuditViewer, readers: ReadersChange[]): AsyncGenerator<AuditEvent> {
  for await (const audited of auditedEventsUntil(handoff.store, giveawayId, until, viewer)) {
    if (audited.readers) readers.push(audited.readers);
    yield audited.event;
  }
}

/** Who could read the conversation from each change on, with names (JSON answer only: NDJSON is events alone). */
function readersAnswer(handoff: Reads, changes: ReadersChange[]) {
  return {
    readers: changes.map(({ fromRevision, readers }) => ({
      fromRevision,
      readers: readers.map((reader) => ({ ...reader, username: reader.userId === null ? null : (handoff.queries.userById(reader.userId)?.username ?? null) })),
    })),
  };
}

export function eventsEndpoint(handoff: EventsEndpointServices) {

  return async (req: Request<{ id: string }>, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.id;
    if (!isId(giveawayId)) return sendApiError(res, "giveaway_not_found", "no such giveaway");
    const access = await auditAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) return sendApiError(res, access.code, access.message);

    const query = EventsQuery.safeParse(req.query);
    if (!query.success) {
      return sendApiError(res, "invalid_field", "format must be json or ndjson, and until may be given once");
    }
    let until: Until | undefined;
    if (query.data.until !== undefined) {
      const parsed = parseUntil(query.data.until);
      if (!parsed.ok) return sendApiError(res, "invalid_field", parsed.message);
      until = parsed.until;
    }

    try {
      const readers: ReadersChange[] = [];
      const events = auditEvents(handoff, giveawayId, until, { userId: identity.userId }, readers);
      await streamAnswer(res, events, query.data.format, () => readersAnswer(handoff, readers));
    } catch (error) {
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined); // cut short, so the client sees the body is incomplete
        return;
      }
      // The read model knows the giveaway but the store does not (yet): nothing to show.
      if (hasErrorCode(error, "stream_not_found")) return sendApiError(res, "giveaway_not_found", "no such giveaway");
      throw error;
    }
  };
}
