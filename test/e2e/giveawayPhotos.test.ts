// The item in view, in Chromium: the giver adds a photo on the giveaway page (a file that is no picture
// is refused in plain words, and the words go when another file is chosen); then both people see it,
// decoded, in the giveaway list, in the chat's header and in their inbox. A photo chosen in the create
// form comes with the new giveaway.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { gradientPng } from "../support/sampleFiles.ts";
import { createGiveaway, drawWinner, enterGiveaway, openChatFromGiveaway, register, until, useServerAndTwoPeople, watchConsoleErrors } from "./chatInBrowser.ts";

/** The picture's decoded width: 0 while it is missing or broken. */
const decodedWidth = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((element) => (element instanceof HTMLImageElement && element.complete ? element.naturalWidth : 0));

describe.skipIf(browserTestsSkipped)("browser: photos of the item", () => {
  const stage = useServerAndTwoPeople();

  it("the giver adds a photo on the giveaway page; it shows in the list, the chat header and the inbox", { timeout: 120_000 }, async () => {
    const { server, ann: annBrowser, bob: bobBrowser } = stage;
    const url = server.url;
    const consoleErrors: string[] = [];
    watchConsoleErrors(annBrowser, consoleErrors);
    watchConsoleErrors(bobBrowser, consoleErrors);
    const [ann, bob] = await Promise.all([register(annBrowser, url, "ann"), register(bobBrowser, url, "bob")]);
    const giveawayId = await createGiveaway(ann, "A blue bike", "Needs a new chain");

    // A file that is no picture: refused in words a person can act on; another file clears them.
    await ann.locator('label[for="photo-input"]').waitFor();
    await ann.setInputFiles("#photo-input", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("these bytes are of no known type") });
    await ann.locator("#photo-error", { hasText: "This kind of file can't be a photo: PNG, JPEG, WebP and GIF pictures work." }).waitFor();
    await ann.setInputFiles("#photo-input", { name: "bike.png", mimeType: "image/png", buffer: gradientPng(64, 48) });
    await ann.locator("img#giveaway-cover").waitFor();
    await until("the cover decoded on the giveaway page", () => decodedWidth(ann, "img#giveaway-cover"), (width) => width === 64);
    expect(await ann.locator("#photo-error").isHidden()).toBe(true);

    // Bob sees it in the list, enters; Ann draws; both see it in the chat's header and the inbox.
    await bob.goto(`${url}/giveaways`);
    const row = `#giveaway-list .giveaway-item[data-giveaway-id="${giveawayId}"] img.item-picture`;
    await until("the cover decoded in bob's list", () => decodedWidth(bob, row), (width) => width === 64);
    await enterGiveaway(bob, url, "A blue bike");
    await ann.goto(`${url}/giveaways/${giveawayId}`);
    await drawWinner(ann, "bob");
    for (const page of [ann, bob]) {
      await page.goto(`${url}/giveaways/${giveawayId}`);
      await openChatFromGiveaway(page);
      await until("the cover decoded in the chat header", () => decodedWidth(page, ".chat-header img#chat-cover"), (width) => width === 64);
      await page.goto(`${url}/inbox`);
      await until("the cover decoded in the inbox", () => decodedWidth(page, `.inbox-item[data-giveaway-id="${giveawayId}"] img.item-picture`), (width) => width === 64);
    }
    // A photo chosen in the create form goes to the new giveaway: its page opens with the cover.
    await bob.goto(`${url}/giveaways`);
    await bob.fill("#title", "A reading lamp");
    await bob.setInputFiles("#create-photo", { name: "lamp.png", mimeType: "image/png", buffer: gradientPng(48, 48) });
    await Promise.all([bob.waitForURL(/\/giveaways\/[0-9a-f-]{36}$/), bob.click("#create-giveaway-form button[type=submit]")]);
    await until("the new giveaway's cover decoded", () => decodedWidth(bob, "img#giveaway-cover"), (width) => width === 48);

    // The refused upload's 415 is the only error the browser logs.
    expect(consoleErrors.filter((error) => !error.includes("status of 415"))).toEqual([]);
  });
});
