// The live streams open even when the SSE extension arrives after htmx (a slow or busy network):
// htmx must not start before its extension is registered, or the page never connects.
import type { Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { gotoWithNotifications, openChatBetween, sendInChat, waitConnected, waitForTexts, useServerAndTwoPeople } from "./chatInBrowser.ts";

/** Holds the extension back until htmx itself has certainly arrived and run. */
async function lateExtension(route: Route) {
  await new Promise((resolve) => setTimeout(resolve, 400));
  await route.continue();
}

describe.skipIf(browserTestsSkipped)("browser: scripts that arrive late", () => {
  const stage = useServerAndTwoPeople();

  it("connects the chat and the notifications when hx-sse.js comes in after htmx", async () => {
    const { server, ann: annBrowser, bob: bobBrowser } = stage;
    const chat = await openChatBetween(server.url, { giver: annBrowser, winner: bobBrowser }, { giver: "ann", winner: "bob" }, { title: "A kettle" });
    await bobBrowser.context.route("**/assets/hx-sse.js", lateExtension);

    const bob = chat.winner.page;
    await bob.reload();
    await waitConnected(bob);
    await sendInChat(chat.giver.page, "Still want the kettle?");
    await waitForTexts(bob, "bob", ["Still want the kettle?"]);

    // Away from the chat (which would read the next message at once), on a page with the notifications stream.
    await bob.close();
    const browsing = await bobBrowser.context.newPage();
    await gotoWithNotifications(browsing, `${server.url}/giveaways`);
    await sendInChat(chat.giver.page, "Hello?");
    await browsing.locator('#unread-badge[data-count="1"]').waitFor();
    expect(await browsing.locator("#unread-badge").isVisible()).toBe(true);
  }, 90_000); // the whole story in one test: room for a machine shared with other work
});
