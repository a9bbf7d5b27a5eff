// Attachment bytes, content-addressed: stored once under their SHA-256, never changed. The port is
// small so a later deployment can put them in object storage; the default is a folder in DATA_DIR.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface BlobStore {
  /** Stores the bytes (once: the same bytes again are already there); answers their hash and size. */
  put(bytes: Buffer): Promise<{ sha256: string; size: number }>;
  /** The bytes stored under this hash, or undefined. */
  get(sha256: string): Promise<Buffer | undefined>;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const hashShape = /^[0-9a-f]{64}$/;

/** One file per blob at <dir>/<first two hex digits>/<hash>, written to a temporary name, synced, then renamed. */
export function folderBlobStore(dir: string): BlobStore {
  const pathOf = (sha256: string) => {
    if (!hashShape.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(dir, sha256.slice(0, 2), sha256);
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const target = pathOf(sha256);
      if (existsSync(target)) return { sha256, size: bytes.length };
      mkdirSync(join(dir, sha256.slice(0, 2)), { recursive: true });
      const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        const fd = openSync(temporary, "wx");
        try {
          writeSync(fd, bytes);
          fsyncSync(fd); // the event that names it is durable: so must the bytes be
        } finally {
          closeSync(fd);
        }
        renameSync(temporary, target);
      } finally {
        rmSync(temporary, { force: true });
      }
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      if (!hashShape.test(sha256)) return undefined;
      try {
        return readFileSync(pathOf(sha256));
      } catch (error) {
        if ((error as { code?: string }).code === "ENOENT") return undefined;
        throw error;
      }
    },
  };
}

export const blobFolderName = "blobs";
