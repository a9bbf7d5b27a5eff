// The typed client and its React hook in Chromium: a page built on useConversation (bundled here
// with esbuild, served on handoff's own origin) keeps the conversation in order across a forced
// disconnect, a server restart while its network is out, with no gap and no duplicate.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, send } from "../http/apiFixtures.ts";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { openPerson } from "./chatInBrowser.ts";

const pagePath = "/__client_test__.html";
const scriptPath = "/__client_test__.js";

async function bundleTestPage(): Promise<string> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL("../client/clientTestPage.tsx", import.meta.url))],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    jsx: "automatic",
    // React's development build, so Strict Mode really mounts twice.
    define: { "process.env.NODE_ENV": '"development"' },
    logLevel: "silent",
  });
  return bundled.outputFiles[0]!.text;
}

interface ShownList {
  contents: string[];
  ids: string[];
  revisions: number[];
}

function shownMessages(page: Page): Promise<ShownList> {
  return page.evaluate(() => {
    const items = [...document.querySelectorAll<HTMLLIElement>("#messages li")];
    return {
      contents: items.map((item) => item.textContent ?? ""),
      ids: items.map((item) => item.dataset.id ?? ""),
      revisions: items.map((item) => Number(item.dataset.revision)),
    };
  });
}

async function sendFromPage(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.click("#send");
}

describe.skipIf(browserTestsSkipped)("browser: the typed client's React hook", () => {
  const dataDir = makeTempDir("client-browser");
  let server: TestServer;
  let person: BrowserPerson;
  beforeAll(async () => {
    const [started, script] = await Promise.all([startTestServer({ dataDir: dataDir.path }), bundleTestPage()]);
    server = started;
    person = await openPerson();
    // Served on handoff's own origin (it sends no CORS headers), without touching the server.
    await person.context.route(`${server.url}${pagePath}`, (route) =>
      route.fulfill({ contentType: "text/html; charset=utf-8", body: `<!doctype html><meta charset="utf-8"><div id="root"></div><script src="${scriptPath}"></script>` }),
    );
    await person.context.route(`${server.url}${scriptPath}`, (route) => route.fulfill({ contentType: "text/javascript; charset=utf-8", body: script }));
  });
  afterAll(async () => {
    await person?.close();
    await server?.close();
    dataDir.remove();
  });

  it("keeps the conversation in order, each message once, across a server restart while the page is offline", async () => {
    const chat = await drawnGiveaway(server);
    const stored = async () => {
      const answer = await request(server.url).get(`/api/giveaways/${chat.giveawayId}/messages?after=-1&limit=1000`).set(chat.giver.auth).expect(200);
      return (answer.body.messages as { content: string }[]).map((message) => message.content);
    };
    await send(server, chat.giver, chat.giveawayId, "The lamp is yours!");
    const page = await person.context.newPage();
    await page.goto(`${server.url}${pagePath}#giveaway=${chat.giveawayId}&token=${chat.winner.token}`);
    await page.locator('#status[data-status="live"]').waitFor();

    // Both ways, live: from the page (the hook's send) and from the API.
    await sendFromPage(page, "Thank you! When can I come?");
    await page.locator("#messages li", { hasText: "Thank you! When can I come?" }).waitFor();
    await send(server, chat.giver, chat.giveawayId, "Tomorrow after 5?");
    await sendFromPage(page, "Tomorrow at 6 then.");
    await page.locator("#messages li", { hasText: "Tomorrow at 6 then." }).waitFor();
    // What the store holds is read once the page's own send is shown (stored before it is shown).
    await expect.poll(async () => (await shownMessages(page)).contents).toEqual(await stored());

    // Forced disconnect: the page's network drops its stream, and the server restarts meanwhile.
    const streams = "**/api/giveaways/*/stream**";
    await person.context.route(streams, (route) => route.abort("internetdisconnected"));
    const port = new URL(server.url).port;
    await server.stop();
    await page.locator('#status[data-status="reconnecting"]').waitFor();
    // Sent while the server is down: pending, retried with its id until the server is back.
    await sendFromPage(page, "I'll bring a bag.");
    await page.locator('#pending li[data-state="sending"]', { hasText: "I'll bring a bag." }).waitFor();
    server = await startTestServer({ dataDir: dataDir.path, env: { PORT: port } });
    expect(new URL(server.url).port).toBe(port);
    await send(server, chat.giver, chat.giveawayId, "The door code is 4711.");
    await expect.poll(() => page.locator("#pending li").count()).toBe(0);
    await send(server, chat.giver, chat.giveawayId, "Ring twice.");
    expect(await page.locator("#status").getAttribute("data-status")).not.toBe("live");

    // The network is back: the page resumes where it stopped and carries on.
    await person.context.unroute(streams);
    await page.locator('#status[data-status="live"]').waitFor();
    await sendFromPage(page, "See you at 6.");
    await page.locator("#messages li", { hasText: "See you at 6." }).waitFor();
    await send(server, chat.giver, chat.giveawayId, "See you!");

    const expected = await stored();
    expect(expected).toHaveLength(9);
    const shown = await expect.poll(async () => (await shownMessages(page)).contents).toEqual(expected).then(() => shownMessages(page));
    expect(new Set(shown.ids).size).toBe(shown.ids.length);
    expect(shown.revisions).toEqual([...shown.revisions].sort((a, b) => a - b));
  }, 90_000); // a server restart and a browser on a machine shared with other work
});
