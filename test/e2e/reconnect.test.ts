// The server restarts mid-conversation while the other person keeps sending: once the pages
// reconnect, each shows every message exactly once, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { openChatBetween, openPerson, sendInChat, sendThroughApi, sessionToken, shownMessages, waitConnected, waitForTexts } from "./chatInBrowser.ts";

describe.skipIf(browserTestsSkipped)("browser: the chat survives a server restart", () => {
  const dataDir = makeTempDir("e2e-restart");
  let server: TestServer;
  let annBrowser: BrowserPerson;
  let bobBrowser: BrowserPerson;
  beforeAll(async () => {
    server = await startTestServer({ dataDir: dataDir.path });
    [annBrowser, bobBrowser] = await Promise.all([openPerson(), openPerson()]);
  });
  afterAll(async () => {
    await Promise.all([annBrowser?.close(), bobBrowser?.close()]);
    await server?.close();
    dataDir.remove();
  });

  it("shows every message once, in order, after the pages reconnect to the restarted server", async () => {
    const chat = await openChatBetween(server.url, { giver: annBrowser, winner: bobBrowser }, { giver: "ann", winner: "bob" }, { title: "A desk" });
    const { giveawayId } = chat;
    const ann = chat.giver.page;
    const bob = chat.winner.page;
    const expected: string[] = [];
    for (const [page, text] of [[ann, "Hi Bob, the desk is yours."], [bob, "Great, thank you!"], [ann, "It comes apart in two pieces."]] as const) {
      await sendInChat(page, text);
      expected.push(text);
    }
    await waitForTexts(bob, "bob", expected);

    // Ann's connection stays down past the restart (her network is out), so what Bob sends
    // meanwhile reaches her only through the resumed stream.
    await annBrowser.context.route("**/messages/*/stream**", (route) => route.abort("internetdisconnected"));
    const port = new URL(server.url).port;
    await server.stop();
    await Promise.all([ann, bob].map((page) => page.locator('#connection-status[data-state="connecting"]').waitFor()));
    // Offline, the form says so and does not send.
    await ann.locator('#message-form[data-state="offline"]').waitFor({ state: "attached" });
    expect(await ann.locator("#send-button").isDisabled()).toBe(true);

    server = await startTestServer({ dataDir: dataDir.path, env: { PORT: port } });
    expect(new URL(server.url).port).toBe(port);
    const bobToken = await sessionToken(bobBrowser);
    for (const text of ["Can I come at 6 pm?", "I'll bring a friend to carry it."]) {
      await sendThroughApi(server.url, bobToken, giveawayId, text);
      expected.push(text);
    }
    // Bob's page reconnects by itself and shows his API messages as his own.
    await waitConnected(bob);
    await waitForTexts(bob, "bob", expected);
    expect(await ann.locator("#connection-status").getAttribute("data-state")).toBe("connecting");
    expect((await shownMessages(ann)).length).toBe(3);

    // Ann's network comes back: her page catches up from where it was.
    await annBrowser.context.unroute("**/messages/*/stream**");
    await waitConnected(ann);
    await waitForTexts(ann, "ann", expected);

    // And the conversation carries on both ways over the new server.
    await sendInChat(bob, "See you at 6!");
    expected.push("See you at 6!");
    await sendInChat(ann, "See you then.");
    expected.push("See you then.");

    const annSees = await waitForTexts(ann, "ann", expected);
    const bobSees = await waitForTexts(bob, "bob", expected);
    for (const shown of [annSees, bobSees]) {
      const ids = shown.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      const revisions = ids.map((id) => Number(id.replace("msg-", "")));
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    }
    expect(bobSees.map((m) => m.id)).toEqual(annSees.map((m) => m.id));
    expect(annSees.map((m) => m.mine)).toEqual([true, false, true, false, false, false, true]);
    expect(await ann.evaluate("document.querySelectorAll('#messages [id^=msg-]').length")).toBe(expected.length);
  }, 90_000); // the whole story in one test: room for a machine shared with other work
});
