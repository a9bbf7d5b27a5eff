// The server's VAPID key pair (RFC 8292): the push services check each push's signed JWT against the
// public key a browser subscribed with, so the pair must outlive restarts. From VAPID_PUBLIC_KEY /
// VAPID_PRIVATE_KEY, or made once (web-push's generator) and kept in DATA_DIR/vapid-keys.json.
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import webpush from "web-push";
import { z } from "zod";
import { componentLogger } from "../observability/logger.ts";

export interface VapidKeys {
  /** base64url, the uncompressed P-256 point: what browsers subscribe with (GET /api/push/public-key). */
  publicKey: string;
  privateKey: string;
}

const VapidKeysFileSchema = z.object({ publicKey: z.string().regex(/^[A-Za-z0-9_-]{87}$/), privateKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

export const vapidKeysFileName = "vapid-keys.json";

export function resolveVapidKeys(configured: VapidKeys | undefined, dataDir: string): VapidKeys {
  if (configured) return configured;
  const file = join(dataDir, vapidKeysFileName);
  if (existsSync(file)) return readKeys(file);
  const keys = webpush.generateVAPIDKeys();
  // Several processes may start on a new data dir at once: written whole to a file of this
  // process's own, then linked into place, which fails if another process got there first.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, `${JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey })}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
    return readKeys(file);
  } finally {
    rmSync(draft, { force: true });
  }
  componentLogger("push").info({ file }, "made a VAPID key pair for Web Push in the data dir (VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY unset)");
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

function readKeys(file: string): VapidKeys {
  const parsed = VapidKeysFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} does not hold a VAPID key pair ({"publicKey","privateKey"}, base64url)`);
  return parsed.data;
}

/** VAPID_SUBJECT, else PUBLIC_URL when it is https (the push services want a way to reach the sender), else a placeholder that reaches nobody. */
export function vapidSubject(configured: string | undefined, publicOrigin: string | undefined): string {
  if (configured) return configured;
  if (publicOrigin?.startsWith("https://")) return publicOrigin;
  return "mailto:push@handoff.invalid";
}
