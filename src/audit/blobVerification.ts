// Every attachment a giveaway stream references (AttachmentUploaded, and a photo of the item:
// GiveawayPhotoAdded, named by its photo id) must have its bytes in the
// blob store, matching the SHA-256 the event recorded, which the hash chain covers.
import type { BlobStore } from "../attachments/blobStore.ts";
import { sha256Hex } from "../attachments/blobStore.ts";
import { AttachmentUploadedSchema } from "../domain/conversationEvents.ts";
import { GiveawayPhotoAddedSchema } from "../domain/giveawayPhotosEvents.ts";
import type { RecordedEvent } from "../eventstore/port.ts";

export interface BlobProblem {
  streamId: string;
  revision: bigint;
  attachmentId: string;
  sha256: string;
  problem: "missing" | "altered";
}

export interface BlobVerification {
  checked: number;
  problems: BlobProblem[];
}

export async function verifyBlobs(events: AsyncIterable<RecordedEvent>, blobs: BlobStore): Promise<BlobVerification> {
  let checked = 0;
  const problems: BlobProblem[] = [];
  const verdicts = new Map<string, "ok" | "missing" | "altered">(); // one read per blob, however often referenced
  for await (const event of events) {
    const parsed =
      event.type === "AttachmentUploaded"
        ? AttachmentUploadedSchema.safeParse(event.data)
        : event.type === "GiveawayPhotoAdded"
          ? GiveawayPhotoAddedSchema.transform(({ photoId, sha256 }) => ({ attachmentId: photoId, sha256 })).safeParse(event.data)
          : undefined;
    if (!parsed?.success) continue; // another event, or an altered one: the chain check names it
    const { attachmentId, sha256 } = parsed.data;
    checked += 1;
    let verdict = verdicts.get(sha256);
    if (verdict === undefined) {
      const bytes = await blobs.get(sha256);
      verdict = !bytes ? "missing" : sha256Hex(bytes) === sha256 ? "ok" : "altered";
      verdicts.set(sha256, verdict);
    }
    if (verdict !== "ok") problems.push({ streamId: event.streamId, revision: event.revision, attachmentId, sha256, problem: verdict });
  }
  return { checked, problems };
}

export function describeBlobProblem(found: BlobProblem): string {
  const what = found.problem === "missing" ? "its bytes are missing from the blob store" : "its stored bytes do not match their sha256";
  return `${found.streamId} revision ${found.revision} attachment ${found.attachmentId} (sha256 ${found.sha256}): ${what}`;
}
