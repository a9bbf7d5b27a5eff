// A message made of markup shows as the text it is, live and after a reload, in the inbox and the
// audit, and runs nothing: no dialog opens and no element is made from it.
import type { Dialog, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { openChatBetween, sendInChat, waitConnected, waitForTexts, useServerAndTwoPeople } from "./chatInBrowser.ts";

const hostile = [
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(2)><script>alert(3)</script>',
  "</p><iframe src=javascript:alert(4)></iframe>",
];

describe.skipIf(browserTestsSkipped)("browser: hostile message content", () => {
  const stage = useServerAndTwoPeople();
  const dialogs: string[] = [];
  const watch = (page: Page) => page.on("dialog", (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  beforeAll(() => {
    // Every page either person opens is watched, the ones opened later too.
    for (const person of [stage.ann, stage.bob]) person.context.on("page", watch);
  });

  /** Nothing the messages made: no element of theirs anywhere in the page (our own icons aside), and the texts exact. */
  async function expectInert(page: Page) {
    expect(await page.locator("#main img, #main svg:not(.icon), #main iframe, #main script").count()).toBe(0);
    expect(await page.evaluate("document.querySelectorAll('img, svg:not(.icon), iframe').length")).toBe(0);
  }

  it("shows markup as text, live, after a reload, in the inbox and the audit, and runs nothing", async () => {
    const { server, ann: annBrowser, bob: bobBrowser } = stage;
    const chat = await openChatBetween(server.url, { giver: annBrowser, winner: bobBrowser }, { giver: "ann", winner: "bob" }, { title: "A mirror" });
    const ann = chat.giver.page;
    const bob = chat.winner.page;

    for (const text of hostile) await sendInChat(ann, text);
    // Live, on the other side (the stream's HTML), and on the sender's side.
    const bobSees = await waitForTexts(bob, "bob", hostile);
    expect(bobSees.every((m) => !m.mine)).toBe(true);
    await waitForTexts(ann, "ann", hostile);
    for (const page of [ann, bob]) {
      expect(await page.locator("#messages .bubble").allTextContents()).toEqual(hostile);
      await expectInert(page);
    }

    // Rendered by the server, after a reload.
    await bob.reload();
    await waitConnected(bob);
    await waitForTexts(bob, "bob", hostile);
    await expectInert(bob);

    // The inbox preview of the last one.
    const inbox = await bobBrowser.context.newPage();
    await inbox.goto(`${server.url}/inbox`);
    expect(await inbox.locator(".inbox-preview").textContent()).toBe(hostile.at(-1));
    await expectInert(inbox);

    // The audit's replay.
    const audit = await annBrowser.context.newPage();
    await audit.goto(`${server.url}/giveaways/${chat.giveawayId}/audit`);
    expect(await audit.locator("ol.audit li.message .content").allTextContents()).toEqual(hostile);
    expect(await audit.evaluate("document.querySelectorAll('img, svg, iframe, body script').length")).toBe(0);

    // Answering still works: the page was not broken by what it showed.
    await sendInChat(bob, "Ha, nice try.");
    await waitForTexts(ann, "ann", [...hostile, "Ha, nice try."]);
    expect(dialogs).toEqual([]);
  }, 90_000); // the whole story in one test: room for a machine shared with other work
});
