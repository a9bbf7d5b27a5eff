// `npm start` runs the compiled build (npm run build: tsc into dist/) on plain node, not the source
// through tsx, whose keepNames redefines the name of every function the code creates (~5 KiB per
// open stream). The build must serve what the source serves: the API, pages (views/ found from the
// project root wherever the code sits) and the static assets.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outDir = join(root, ".tmp", `build-${process.pid}`);
const dataDir = makeTempDir("production-build");
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill("SIGTERM");
  dataDir.remove();
  rmSync(outDir, { recursive: true, force: true });
});

it("compiles, starts on plain node and serves the API, a page and an asset", { timeout: 180_000 }, async () => {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", outDir], { cwd: root, stdio: "pipe" });
  // No keepNames helper in what production runs.
  expect(readFileSync(join(outDir, "src/http/sse/sseStream.js"), "utf8")).not.toContain("__name(");

  server = await startServerProcess({ dataDir: dataDir.path, main: join(outDir, "src/main.js") });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  const registered = await fetch(`${server.url}/api/users`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "built_ann", password: "correct horse battery" }),
  });
  expect(registered.status).toBe(201);

  const page = await fetch(`${server.url}/signin`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<form[^>]*action="\/signin"/);

  const asset = await fetch(`${server.url}/assets/htmx.min.js`);
  expect(asset.status).toBe(200);
  expect((await asset.text()).length).toBeGreaterThan(10_000);
});
