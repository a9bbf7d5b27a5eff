// The bench measures handoff as production runs it: compiled by `npm run build` into dist/ and
// started with plain node. Run through tsx, every function the code creates gets its name set
// again (esbuild's keepNames), which cost ~5 KiB per open stream and CPU on every request.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
let built = false;

/** Builds dist/ (the app and the bench's servers: tsconfig.bench.json) once per bench process, so a run never measures stale output. */
export function ensureProductionBuild(): void {
  if (built) return;
  execFileSync(process.execPath, [fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.bench.json"], { cwd: root, stdio: "inherit" });
  built = true;
}

/** The compiled file of a source file under the project root: bench/systems/x.ts -> dist/bench/systems/x.js. */
export function compiled(sourceUrl: URL): URL {
  const relative = fileURLToPath(sourceUrl).slice(root.length).replace(/\.ts$/, ".js");
  return pathToFileURL(join(root, "dist", relative));
}
