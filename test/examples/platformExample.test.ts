// examples/platform run as its README says, against handoff run as `npm start` runs it: the example's
// `serve` (its key pair and JWKS) in a child process, handoff compiled (tsc -p tsconfig.build.json,
// into a private outDir rather than the shared dist/) on plain node with the env `serve` printed, a
// service key made by the real `npm run service-keys` CLI, then the example's `push`. The /sso links
// it prints must sign the giver and the winner in (303 and a session cookie) and open the drawn
// giveaway's chat (200), once each.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const example = join(root, "examples/platform/platform.mjs");
const outDir = join(root, ".tmp", `example-build-${process.pid}`);
const work = makeTempDir("platform-example");
const dataDir = join(work.path, "data");
/** The example's key file, out of the repo (its default is examples/platform/platform-key.json). */
const keyFile = join(work.path, "platform-key.json");

let platform: ChildProcess | undefined;
let platformOutput = "";
let server: ServerProcess | undefined;
/** What `serve` printed for handoff: PLATFORM_JWKS_URL, PLATFORM_ISSUER and PLATFORM_AUDIENCE. */
let handoffEnv: Record<string, string> = {};

/** Resolves with the first match of `pattern` in the child's stdout; rejects if it exits first. */
function untilPrinted(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = platformOutput.match(pattern);
      if (match) {
        child.stdout!.off("data", check);
        child.off("exit", exited);
        resolve(match);
      }
    };
    const exited = (code: number | null) => reject(new Error(`the example exited (${code}) before printing ${pattern}:\n${platformOutput}`));
    child.stdout!.on("data", check);
    child.once("exit", exited);
    check();
  });
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", outDir], { cwd: root, stdio: "pipe" });

  // Terminal 1 of the README: the platform, on a free port instead of 4000.
  platform = spawn(process.execPath, [example, "serve"], {
    cwd: root,
    env: { ...process.env, PLATFORM_PORT: "0", PLATFORM_KEY_FILE: keyFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  platform.stdout!.on("data", (chunk) => (platformOutput += chunk));
  platform.stderr!.on("data", (chunk) => (platformOutput += chunk));
  const [line] = await untilPrinted(platform, /^ *(PLATFORM_\w+=\S+ )+npm start$/m);
  handoffEnv = Object.fromEntries([...line.matchAll(/(PLATFORM_\w+)=(\S+)/g)].map(([, name, value]) => [name!, value!]));

  // Terminal 2: handoff with that env (startServerProcess picks the port and DATA_DIR).
  server = await startServerProcess({ dataDir, main: join(outDir, "src/main.js"), env: handoffEnv });
}, 300_000);

afterAll(async () => {
  platform?.kill("SIGTERM");
  await server?.kill("SIGTERM");
  work.remove();
  rmSync(outDir, { recursive: true, force: true });
});

/** `npm run service-keys -- create <name>` on the server's data dir: the secret it prints once. */
async function createServiceKey(name: string): Promise<string> {
  const { stdout } = await run("npm", ["run", "--silent", "service-keys", "--", "create", name], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
  });
  const secret = stdout.match(/hsk_[a-z0-9-]+_[A-Za-z0-9_-]{43}/)?.[0];
  if (!secret) throw new Error(`no secret in what service-keys printed:\n${stdout}`);
  return secret;
}

/** Terminal 3: the example's push; its output. */
async function push(serviceKey: string): Promise<string> {
  const { stdout } = await run(process.execPath, [example, "push"], {
    cwd: root,
    env: { ...process.env, HANDOFF_URL: server!.url, HANDOFF_SERVICE_KEY: serviceKey, PLATFORM_KEY_FILE: keyFile },
  });
  return stdout;
}

function linkOf(output: string, who: RegExp): string {
  const line = output.split("\n").find((candidate) => who.test(candidate));
  const link = line?.match(/(http:\/\/\S+\/sso\?token=\S+)/)?.[1];
  if (!link) throw new Error(`no /sso link for ${who} in:\n${output}`);
  return link;
}

async function signIn(link: string): Promise<{ location: string; cookie: string }> {
  const response = await fetch(link, { redirect: "manual" });
  expect(response.status, await response.clone().text()).toBe(303);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0]!)
    .find((pair) => pair.startsWith("handoff_session="));
  expect(cookie).toBeDefined();
  return { location: response.headers.get("location")!, cookie: cookie! };
}

it("pushes a giveaway through a draw and prints /sso links that open its chat for the giver and the winner", { timeout: 120_000 }, async () => {
  const serviceKey = await createServiceKey("example-platform");
  const output = await push(serviceKey);
  expect(output).toMatch(/PUT \/api\/platform\/giveaways\/blue-bike -> 201/);
  expect(output).toMatch(/POST \/api\/platform\/giveaways\/blue-bike\/draw -> 200/);

  // The drawn giveaway, as the platform's backend reads it back.
  const pushed = await fetch(`${server!.url}/api/platform/giveaways/blue-bike`, { headers: { Authorization: `Bearer ${serviceKey}` } });
  expect(pushed.status).toBe(200);
  const giveaway = (await pushed.json()) as { id: string; platformId: string; status: string; entrantCount: number; giverId: string; winnerId: string };
  expect(giveaway).toMatchObject({ platformId: "blue-bike", status: "drawn", entrantCount: 2, title: "Blue bike" });

  for (const [who, sub, name, userId] of [
    [/giver/, "ann", "Ann", giveaway.giverId],
    [/winner/, "bob", "Bob", giveaway.winnerId],
  ] as const) {
    const link = linkOf(output, who);
    const { location, cookie } = await signIn(link);
    expect(location).toBe(`/messages/${giveaway.id}`);

    const me = await fetch(`${server!.url}/api/me`, { headers: { cookie } });
    expect(await me.json()).toEqual({ id: userId, platformId: sub, username: name, picture: null });

    const chat = await fetch(new URL(location, server!.url), { headers: { cookie } });
    expect(chat.status).toBe(200);
    expect(await chat.text()).toContain("Blue bike");

    // The link is one-time: opened again, it starts no session.
    const again = await fetch(link, { redirect: "manual" });
    expect(again.status).toBe(401);
    expect(again.headers.getSetCookie().some((header) => header.startsWith("handoff_session="))).toBe(false);
  }

  // Running push again is the platform retrying its events: the same answers, nothing new stored.
  const retried = await push(serviceKey);
  expect(retried.split("\n").filter((line) => line.includes(" -> "))).toEqual(output.split("\n").filter((line) => line.includes(" -> ")));
});
