// The blob check behind npm run verify covers a giveaway's photos as it covers attachments: the bytes a
// GiveawayPhotoAdded names must be in the blob store and match their sha256.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { folderBlobStore, sha256Hex } from "../../src/attachments/blobStore.ts";
import { verifyBlobs } from "../../src/audit/blobVerification.ts";
import type { RecordedEvent } from "../../src/eventstore/port.ts";
import { gradientPng } from "../support/sampleFiles.ts";
import { makeTempDir } from "../support/tempDir.ts";

let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());

const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const photoAdded = (photoId: string, bytes: Buffer, revision: bigint): RecordedEvent => ({
  id: crypto.randomUUID(),
  type: "GiveawayPhotoAdded",
  data: { photoId, addedBy: crypto.randomUUID(), sha256: sha256Hex(bytes), contentType: "image/png", size: bytes.length, addedAt: "2026-12-05T09:00:00.000Z" },
  metadata: {},
  streamId: `giveaway-${giveawayId}`,
  revision,
  position: revision + 1n,
  created: new Date("2026-12-05T09:00:00.000Z"),
});

async function* each(events: RecordedEvent[]): AsyncIterable<RecordedEvent> {
  yield* events;
}

describe("verify and the item's photos", () => {
  it("counts a photo whose bytes are there, and names one whose bytes are missing", async () => {
    dir = makeTempDir("photo-blobs");
    const blobs = folderBlobStore(join(dir.path, "blobs"));
    const kept = gradientPng(3, 3);
    const lost = gradientPng(4, 4);
    await blobs.put(kept);
    const keptId = crypto.randomUUID();
    const lostId = crypto.randomUUID();
    const verified = await verifyBlobs(each([photoAdded(keptId, kept, 1n), photoAdded(lostId, lost, 2n)]), blobs);
    expect(verified.checked).toBe(2);
    expect(verified.problems).toEqual([{ streamId: `giveaway-${giveawayId}`, revision: 2n, attachmentId: lostId, sha256: sha256Hex(lost), problem: "missing" }]);
  });
});
