// The conversation, complete, in two Chromium profiles: ann on a desktop window, bob on a 390 px
// phone with a (fake) microphone. Typing, "Seen", reactions, replies, edits, removals, a real PNG,
// a recorded voice note, "Load older messages", last seen, mute — live on both sides, and no
// console error under the CSP.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { gradientPng } from "../support/sampleFiles.ts";
import { markDocument, isSameDocument, openChatBetween, sendInChat, sendThroughApi, sessionToken, until, useServerAndTwoPeople, waitConnected, watchConsoleErrors } from "./chatInBrowser.ts";

const fakeMicrophone = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

/** The message element (#msg-<revision>) that shows `text`, on this page. */
async function messageIdOf(page: Page, text: string): Promise<string> {
  const id = await page.locator("#messages .message", { has: page.locator(".bubble", { hasText: text }) }).first().getAttribute("id");
  if (!id) throw new Error(`no message shows "${text}"`);
  return id;
}

const reactionsOf = (page: Page, messageId: string) =>
  page.locator(`#${messageId} .reaction`).evaluateAll((buttons) => buttons.map((b) => `${b.textContent?.replace(/\s+/g, " ").trim()}${b.getAttribute("aria-pressed") === "true" ? " (mine)" : ""}`));

describe.skipIf(browserTestsSkipped)("browser: the conversation, complete", () => {
  const stage = useServerAndTwoPeople({ bob: { args: fakeMicrophone } });
  const errors: string[] = [];
  /** The errors up to the last step, which takes Ann's network away on purpose (Chromium logs that). */
  let errorsWhileOnline: string[] = [];
  let ann: Page;
  let bob: Page;
  let giveawayId: string;

  beforeAll(async () => {
    watchConsoleErrors(stage.ann, errors);
    watchConsoleErrors(stage.bob, errors);
    const chat = await openChatBetween(stage.server.url, { giver: stage.ann, winner: stage.bob }, { giver: "ann", winner: "bob" }, { title: "A green sofa" });
    ({ giveawayId } = chat);
    ann = chat.giver.page;
    bob = chat.winner.page;
    await bob.setViewportSize({ width: 390, height: 844 });
    await stage.bob.context.grantPermissions(["microphone"], { origin: stage.server.url });
    await Promise.all([markDocument(ann), markDocument(bob)]);
  }, 60_000);

  it("shows 'bob is typing…' while he types, until its time runs out or his message arrives; 'Seen' with its time once he has read", async () => {
    await sendInChat(ann, "Is Saturday fine for the pickup?");
    const asked = await messageIdOf(ann, "Is Saturday fine for the pickup?");
    // Bob's page is open at the newest message: it marks it read, and Ann sees it under her message.
    const seen = ann.locator(`#${asked} #seen-receipt`);
    await seen.waitFor();
    expect(await seen.innerText()).toMatch(/^Seen \S/);
    expect(await seen.getAttribute("data-at")).toMatch(/^\d{4}-\d\d-\d\dT/);

    await bob.locator("#message-content").pressSequentially("Yes", { delay: 20 });
    const typing = ann.locator("#typing-indicator", { hasText: "bob is typing…" });
    await typing.waitFor();
    // He stops: it goes by itself at the signal's `until` (a few seconds).
    await ann.locator("#typing-indicator").waitFor({ state: "hidden", timeout: 15_000 });
    // He types again (the page signals at most every few seconds), then sends: it goes with his message.
    await bob.locator("#message-content").pressSequentially(", sure", { delay: 20 });
    await typing.waitFor();
    await bob.fill("#message-content", "");
    await sendInChat(bob, "Yes, Saturday works");
    await ann.locator("#typing-indicator").waitFor({ state: "hidden" });
    // Ann's "Seen" moves on only under her newest message.
    await sendInChat(ann, "Great, see you then");
    const newest = await messageIdOf(ann, "Great, see you then");
    await ann.locator(`#${newest} #seen-receipt`).waitFor();
    expect(await ann.locator("#seen-receipt").count()).toBe(1);
  }, 60_000);

  it("reacts with one tap, shows counts and one's own, takes it back; live on both", async () => {
    const target = await messageIdOf(bob, "Great, see you then");
    await bob.hover(`#${target} .bubble`);
    await bob.locator(`#${target} .react-more > summary`).click();
    await bob.locator(`#${target} .palette-emoji[value="👍"]`).click();
    await until("bob's own 👍", () => reactionsOf(bob, target), (shown) => shown.join() === "👍 1 (mine)");
    await until("ann to see bob's 👍", () => reactionsOf(ann, target), (shown) => shown.join() === "👍 1");
    await ann.locator(`#${target} .reaction[value="👍"]`).click();
    await until("two 👍 for bob", () => reactionsOf(bob, target), (shown) => shown.join() === "👍 2 (mine)");
    await until("ann's own 👍", () => reactionsOf(ann, target), (shown) => shown.join() === "👍 2 (mine)");
    await ann.locator(`#${target} .reaction[value="👍"]`).click();
    await until("ann's 👍 taken back", () => reactionsOf(ann, target), (shown) => shown.join() === "👍 1");
    await until("bob to see one 👍", () => reactionsOf(bob, target), (shown) => shown.join() === "👍 1 (mine)");
  }, 30_000);

  it("replies with a quote that jumps to the original", async () => {
    const original = await messageIdOf(bob, "Is Saturday fine for the pickup?");
    await bob.hover(`#${original} .bubble`);
    await bob.locator(`#${original} .reply-link`).click();
    await bob.locator("#reply-bar", { hasText: "Is Saturday fine" }).waitFor();
    await sendInChat(bob, "Morning or afternoon?");
    const reply = await messageIdOf(ann, "Morning or afternoon?");
    const quote = ann.locator(`#${reply} .reply-quote`);
    await quote.waitFor();
    expect(await quote.innerText()).toContain("Is Saturday fine for the pickup?");
    expect(await bob.locator("#reply-bar").isHidden()).toBe(true);
    await quote.click();
    await ann.locator(`#${original}.flash`).waitFor();
    expect(await isSameDocument(ann)).toBe(true);
  }, 30_000);

  it("edits and removes within the window: 'edited' and 'message removed' for both", async () => {
    const mine = await messageIdOf(ann, "Great, see you then");
    await ann.hover(`#${mine} .bubble`);
    // Since the safety tip sits above the conversation it scrolls, and the newest message's hover row ends
    // under the scroller's edge with its "Seen" line: the click goes to the button itself, not to a point
    // on screen (the phone layout of issue 27 moves these actions into a menu).
    await ann.locator(`#${mine} .edit-button`).dispatchEvent("click");
    expect(await ann.inputValue("#message-content")).toBe("Great, see you then");
    await ann.fill("#message-content", "Great, see you at 10");
    await ann.click("#send-button");
    for (const page of [ann, bob]) {
      await page.locator(`#${mine} .bubble`, { hasText: "Great, see you at 10" }).waitFor();
      await page.locator(`#${mine} .edited`).waitFor();
    }
    // Bob's reaction stays on the edited message.
    expect((await reactionsOf(ann, mine)).join()).toBe("👍 1");

    await sendInChat(ann, "My number is 555 0100");
    const slip = await messageIdOf(ann, "My number is 555 0100");
    await bob.locator(`#${slip}`).waitFor();
    await ann.hover(`#${slip} .bubble`);
    await ann.locator(`#${slip} .retract-button`).click();
    await ann.locator("#retract-dialog #confirm-retract").click(); // Remove asks first
    for (const page of [ann, bob]) {
      await page.locator(`#${slip}.removed .bubble`, { hasText: "message removed" }).waitFor();
      expect(await page.locator("#messages").innerText()).not.toContain("555 0100");
    }
    // Bob cannot edit or remove Ann's messages: no such controls on his side.
    expect(await bob.locator(`#${mine} .edit-button, #${mine} .retract-button`).count()).toBe(0);
  }, 30_000);

  it("sends a real PNG: a thumbnail on both sides that opens full size", async () => {
    const png = gradientPng(320, 240);
    await ann.setInputFiles("#attach-input", { name: "sofa.png", mimeType: "image/png", buffer: png });
    await ann.locator("#attachment-chips .attachment-chip", { hasText: "sofa.png" }).waitFor();
    await ann.fill("#message-content", "Here it is in daylight");
    await ann.click("#send-button");
    for (const page of [ann, bob]) {
      const thumb = page.locator(".message", { hasText: "Here it is in daylight" }).locator("a.attachment-image img.thumb");
      await thumb.waitFor();
      await until("the photo to load", () => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), (width) => width === 320);
    }
    const link = bob.locator(".message", { hasText: "Here it is in daylight" }).locator("a.attachment-image");
    expect(await link.getAttribute("target")).toBe("_blank");
    const full = await bob.request.get(new URL((await link.getAttribute("href"))!, stage.server.url).toString());
    expect(full.status()).toBe(200);
    expect(full.headers()["content-type"]).toBe("image/png");
    expect(Buffer.from(await full.body()).equals(png)).toBe(true);
  }, 30_000);

  it("records a voice note on the phone (MediaRecorder) that plays inline on both sides", async () => {
    await bob.click("#record-button");
    await bob.locator('#record-button[aria-pressed="true"]').waitFor();
    // Recorded in 250 ms slices: a few of them make a clip of about a second.
    await until("a second of recording", () => bob.locator("#record-button").getAttribute("data-parts"), (parts) => Number(parts) >= 4);
    await bob.click("#record-button");
    for (const page of [bob, ann]) {
      const audio = page.locator(".message", { hasText: "Voice note" }).locator("audio.attachment-audio");
      await audio.waitFor();
      await until("the voice note to load", () => audio.evaluate((a: HTMLAudioElement) => a.readyState), (state) => state >= 1);
    }
    const src = await ann.locator("audio.attachment-audio").getAttribute("src");
    const clip = await ann.request.get(new URL(src!, stage.server.url).toString());
    expect(clip.headers()["content-type"]).toBe("audio/webm");
    expect((await clip.body()).length).toBeGreaterThan(1000);
  }, 30_000);

  it("mutes the conversation, and the page remembers it", async () => {
    await ann.click("#mute-button");
    await ann.locator('#mute-button[aria-pressed="true"]', { hasText: "Unmute" }).waitFor();
    expect(await ann.locator("#chat").getAttribute("data-muted")).toBe("true");
    const inbox = await ann.request.get(`${stage.server.url}/api/inbox`);
    const row = (await inbox.json()).conversations.find((c: { giveawayId: string }) => c.giveawayId === giveawayId);
    expect(row.muted).toBe(true);
  }, 30_000);

  it("loads older messages back to the first; the other's presence says when they were last seen", async () => {
    const token = await sessionToken(stage.ann);
    for (let i = 1; i <= 200; i++) await sendThroughApi(stage.server.url, token, giveawayId, `Filler ${i}`);
    await ann.reload(); // (the mute survives a reload)
    await waitConnected(ann);
    expect(await ann.locator("#mute-button").innerText()).toBe("Unmute");
    expect(await ann.locator("#messages .message", { hasText: "Is Saturday fine for the pickup?" }).count()).toBe(0);
    await ann.click("#load-older");
    await ann.locator("#messages .message .bubble", { hasText: "Is Saturday fine for the pickup?" }).first().waitFor();
    expect(await ann.locator("#load-older").count()).toBe(0);
    const texts = await ann.locator("#messages .message .bubble").allInnerTexts();
    expect(texts[0]).toBe("Is Saturday fine for the pickup?");
    expect(texts.filter((t) => t.startsWith("Filler ")).length).toBe(200);

    await bob.close();
    const presence = ann.locator('#presence[data-online="false"]', { hasText: "bob · offline" });
    await presence.waitFor();
    expect(await presence.locator(".last-seen time").getAttribute("datetime")).toMatch(/^\d{4}-/);
    expect(await presence.innerText()).toMatch(/last seen \S/);
    errorsWhileOnline = [...errors];
    // While Ann's own connection is down, what she knew of bob is not shown as current.
    await stage.ann.context.setOffline(true);
    await ann.locator('#presence[data-online="unknown"]').waitFor();
    await stage.ann.context.setOffline(false);
    await waitConnected(ann);
  }, 90_000);

  it("never logs a console error on any page under the CSP (until the network is taken away)", () => {
    expect(errorsWhileOnline).toEqual([]);
  });
});
