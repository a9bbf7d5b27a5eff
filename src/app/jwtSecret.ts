// JWT_SECRET, or a random secret made once and kept in the data dir so restarts keep sessions.
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { componentLogger } from "../observability/logger.ts";

export function resolveJwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  // Several processes may start on a new data dir at once: the secret is written whole to a file of
  // this process's own, then linked into place, which fails if another process got there first.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  } finally {
    rmSync(draft, { force: true });
  }
  componentLogger("auth").warn({ file }, "JWT_SECRET is not set: made a random one in the data dir; set JWT_SECRET in production");
  return secret;
}
