// Photos (of a giveaway's item, or a person's own) in and out: the raw bytes of one picture, checked
// on the bytes as attachments are (attachmentTypes.ts), then only the image types; stored by hash in
// the blob store; served as a picture that can never run or be framed.
import express from "express";
import type { Request, Response } from "express";
import type { BlobStore } from "../../attachments/blobStore.ts";
import { checkAttachmentType, emptyFileText, mislabelledFileText, tooLargeFileText, typeServedAs } from "../../attachments/attachmentTypes.ts";
import { photoContentTypes } from "../../domain/giveawayPhotos.ts";
import { ApiError } from "./apiErrors.ts";

export const notAPhotoText = "This kind of file can't be a photo: PNG, JPEG, WebP and GIF pictures work.";

export interface StoredPhoto {
  sha256: string;
  size: number;
  contentType: string;
}

/** Refuses a declared length over the limit before a byte of the body is read. */
export function refuseLargePhoto(req: Request, maxBytes: number): void {
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) throw new ApiError("body_too_large", tooLargeFileText(maxBytes));
}

/** The body as bytes (compressed uploads are refused, 415 unsupported_encoding: the limit is on the bytes as stored). */
export function rawPhotoBody(maxBytes: number): express.RequestHandler {
  return express.raw({ type: () => true, limit: maxBytes, inflate: false });
}

/** Checks the body is one picture and keeps its bytes; refusals in plain words (a person reads them). */
export async function storePhoto(req: Request, blobs: BlobStore, maxBytes: number): Promise<StoredPhoto> {
  const bytes: unknown = req.body;
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new ApiError("unsupported_media_type", emptyFileText);
  if (bytes.length > maxBytes) throw new ApiError("body_too_large", tooLargeFileText(maxBytes));
  const checked = await checkAttachmentType(bytes, req.headers["content-type"]);
  // A mislabelled picture is told as such; anything else that is no picture is "not a photo".
  if (!checked.ok) throw new ApiError("unsupported_media_type", checked.message === mislabelledFileText ? mislabelledFileText : notAPhotoText);
  if (!photoContentTypes.includes(checked.type.contentType)) throw new ApiError("unsupported_media_type", notAPhotoText);
  const { sha256, size } = await blobs.put(bytes);
  return { sha256, size, contentType: checked.type.contentType };
}

/** The picture's bytes, as attachments are served: never sniffed, never run, never framed as this site's page. */
/** `immutable`: the URL names these very bytes (a photo's id, an avatar's ?v=), so the browser may keep them for good. */
export async function sendPhoto(req: Request, res: Response, blobs: BlobStore, photo: StoredPhoto & { name: string; immutable: boolean }, notFound: ApiError): Promise<void> {
  const bytes = await blobs.get(photo.sha256);
  if (!bytes) throw notFound; // npm run verify names it; never a stack trace here
  res.setHeader("Content-Type", photo.contentType);
  res.setHeader("Content-Length", bytes.length);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Content-Disposition", `inline; filename="${photo.name}.${typeServedAs(photo.contentType)?.extension ?? "bin"}"`);
  // Signed-in readers only: private.
  res.setHeader("Cache-Control", photo.immutable ? "private, max-age=31536000, immutable" : "private, no-cache");
  res.setHeader("ETag", `"${photo.sha256}"`);
  if (req.headers["if-none-match"] === `"${photo.sha256}"`) return void res.status(304).end();
  res.status(200).end(bytes);
}
