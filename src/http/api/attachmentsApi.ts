// Photos, voice notes and PDFs: uploaded as raw bytes, kept by their hash, served to participants only.
import express from "express";
import type { Handoff } from "../../app/handoff.ts";
import { checkAttachmentType, emptyFileText, tooLargeFileText, typeServedAs } from "../../attachments/attachmentTypes.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { ApiError } from "./apiErrors.ts";
import { isId } from "../../domain/ids.ts";
import { visibleTo } from "../../app/conversationAccessQuery.ts";
import { conversationForReader } from "./conversationAccess.ts";
import { runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { giveawayIdParam } from "./requestInput.ts";
import { requireApiIdentity } from "./requestContext.ts";
import { limitMessageWrites } from "../edge/rateLimits.ts";

/** What uploads and downloads use: commands, queries, the blob store, limits, ids and time. */
export type AttachmentServices = EdgeContext & CommandServices & Pick<Handoff, "config" | "queries" | "blobs" | "limits" | "newId" | "now">;

export function attachmentsApi(handoff: AttachmentServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);
  const maxBytes = handoff.config.attachmentMaxBytes;
  const tooLarge = () => new ApiError("body_too_large", tooLargeFileText(maxBytes));

  // Who may upload is settled before a byte of the body is read.
  const participant: express.RequestHandler = async (req, res, next) => {
    await conversationForReader(handoff, giveawayIdParam(req.params.id), identityOf(res).userId);
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) throw tooLarge();
    next();
  };
  // Compressed uploads are refused (415 unsupported_encoding): the limit is on the bytes as stored.
  const rawBody = express.raw({ type: () => true, limit: maxBytes, inflate: false });

  router.post("/giveaways/:id/attachments", signedIn, participant, limitMessageWrites(handoff), rawBody, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const bytes: unknown = req.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new ApiError("unsupported_media_type", emptyFileText);
    if (bytes.length > maxBytes) throw tooLarge();
    const checked = await checkAttachmentType(bytes, req.headers["content-type"]);
    if (!checked.ok) throw new ApiError("unsupported_media_type", checked.message);
    const { sha256, size } = await handoff.blobs.put(bytes);
    const attachmentId = handoff.newId();
    const contentType = checked.type.contentType;
    const uploaderId = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "UploadAttachment", attachmentId, uploaderId, sha256, contentType, size, now: handoff.now() });
    res.status(201).location(`/api/giveaways/${giveawayId}/attachments/${attachmentId}`).json({ id: attachmentId, contentType, size, sha256 });
  });

  router.get("/giveaways/:id/attachments/:attachmentId", signedIn, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const access = await conversationForReader(handoff, giveawayId, identityOf(res).userId);
    const notFound = new ApiError("attachment_not_found", "no such attachment in this conversation");
    const attachmentId = String(req.params.attachmentId);
    if (!isId(attachmentId)) throw notFound; // the one id format (domain/ids.ts)
    const attachment = handoff.queries.attachmentById(giveawayId, attachmentId);
    // After a redraw each winner fetches only their own round's uploads, as with messages; the giver every round's.
    if (!attachment || visibleTo(access, [attachment]).length === 0) throw notFound;
    const bytes = await handoff.blobs.get(attachment.sha256);
    if (!bytes) throw notFound; // logged by verify; never a stack trace here
    const served = typeServedAs(attachment.contentType);
    const disposition = served?.inline ? "inline" : "attachment";
    // Bytes from a stranger: never sniffed, never run, never framed as this site's page.
    res.setHeader("Content-Type", attachment.contentType);
    res.setHeader("Content-Length", bytes.length);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    res.setHeader("Content-Disposition", `${disposition}; filename="attachment-${attachment.id.slice(0, 8)}.${served?.extension ?? "bin"}"`);
    res.setHeader("Cache-Control", "private, max-age=31536000, immutable");
    res.setHeader("ETag", `"${attachment.sha256}"`);
    if (req.headers["if-none-match"] === `"${attachment.sha256}"`) return void res.status(304).end();
    res.status(200).end(bytes);
  });

  return router;
}
