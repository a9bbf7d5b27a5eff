// Where the project's own files (views/, public/) are, found from this module upward: the same
// answer whether the code runs from src/ through tsx or compiled under dist/ (npm run build).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "views"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root (package.json beside views/) above ${from}`);
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const viewsDir = join(projectRoot, "views");
export const publicDir = join(projectRoot, "public");
