// Which files a conversation accepts, decided on the bytes themselves (file-type), never on the
// name or the declared type alone: photos, voice notes and PDFs.
import { fileTypeFromBuffer } from "file-type";

export interface AcceptedType {
  /** What the file is served as. */
  contentType: string;
  /** For the download's file name. */
  extension: string;
  /** Shown in the page (inline) or downloaded. */
  inline: boolean;
}

/** By the extension file-type detects. Audio containers are served as audio, whatever else they could hold. */
const accepted: Record<string, AcceptedType> = {
  png: { contentType: "image/png", extension: "png", inline: true },
  apng: { contentType: "image/png", extension: "png", inline: true },
  jpg: { contentType: "image/jpeg", extension: "jpg", inline: true },
  webp: { contentType: "image/webp", extension: "webp", inline: true },
  gif: { contentType: "image/gif", extension: "gif", inline: true },
  webm: { contentType: "audio/webm", extension: "webm", inline: true },
  opus: { contentType: "audio/ogg", extension: "ogg", inline: true },
  ogg: { contentType: "audio/ogg", extension: "ogg", inline: true },
  oga: { contentType: "audio/ogg", extension: "ogg", inline: true },
  m4a: { contentType: "audio/mp4", extension: "m4a", inline: true },
  mp4: { contentType: "audio/mp4", extension: "m4a", inline: true },
  f4a: { contentType: "audio/mp4", extension: "m4a", inline: true },
  mp3: { contentType: "audio/mpeg", extension: "mp3", inline: true },
  pdf: { contentType: "application/pdf", extension: "pdf", inline: false },
};

/** Declared types a client may send for each served type (MediaRecorder and browsers vary). */
const declaredAliases: Record<string, string> = {
  "image/png": "image/png",
  "image/apng": "image/png",
  "image/jpeg": "image/jpeg",
  "image/jpg": "image/jpeg",
  "image/webp": "image/webp",
  "image/gif": "image/gif",
  "audio/webm": "audio/webm",
  "video/webm": "audio/webm",
  "audio/ogg": "audio/ogg",
  "audio/opus": "audio/ogg",
  "application/ogg": "audio/ogg",
  "audio/mp4": "audio/mp4",
  "audio/x-m4a": "audio/mp4",
  "audio/m4a": "audio/mp4",
  "video/mp4": "audio/mp4",
  "audio/aac": "audio/mp4",
  "audio/mpeg": "audio/mpeg",
  "audio/mp3": "audio/mpeg",
  "application/pdf": "application/pdf",
};

export const acceptedTypesText = "PNG, JPEG, WebP or GIF images; WebM, Ogg/Opus, MP4/M4A or MP3 audio; PDF";

export type TypeCheck = { ok: true; type: AcceptedType } | { ok: false; message: string };

/** What a person reads (the chat shows the API's message) when a file is refused: plain words, no MIME types. */
export const unsendableFileText = "This kind of file can't be sent: photos, voice notes and PDFs work.";
export const mislabelledFileText = "This file is not the kind of file its name says: save it again, then attach it once more.";
export const emptyFileText = "This file is empty: choose another one.";

export function tooLargeFileText(maxBytes: number): string {
  const megabytes = maxBytes / (1024 * 1024);
  const limit = megabytes >= 1 ? `${Number.isInteger(megabytes) ? megabytes : megabytes.toFixed(1)} MB` : `${Math.ceil(maxBytes / 1024)} KB`;
  return `This file is too big to send: at most ${limit}.`;
}

/** The declared Content-Type must name what the bytes are (parameters such as codecs are ignored). */
export async function checkAttachmentType(bytes: Buffer, declared: string | undefined): Promise<TypeCheck> {
  const detected = await fileTypeFromBuffer(bytes);
  const type = detected && accepted[detected.ext];
  if (!type) return { ok: false, message: unsendableFileText };
  const base = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  if (declaredAliases[base] !== type.contentType) {
    return { ok: false, message: mislabelledFileText };
  }
  return { ok: true, type };
}

export function typeServedAs(contentType: string): AcceptedType | undefined {
  return Object.values(accepted).find((type) => type.contentType === contentType);
}
