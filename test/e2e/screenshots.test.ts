// Takes the README's pictures: a short pickup conversation from both sides, the two side by
// side, the winner's on a phone, and the audit page at a chosen revision, from a fresh server. `npm test` writes them to
// the ignored .tmp/screenshots (it never modifies tracked files); `npm run screenshots` sets
// SCREENSHOTS_DIR=docs/screenshots to refresh the README's copies.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { openChatBetween, openPerson, sendInChat, waitForTexts } from "./chatInBrowser.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const refreshingDocs = process.env.SCREENSHOTS_DIR !== undefined;
const screenshotsDir = `${resolve(repoRoot, process.env.SCREENSHOTS_DIR ?? ".tmp/screenshots")}/`;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const conversation: { from: "giver" | "winner"; text: string }[] = [
  { from: "giver", text: "Hi! Congrats — when can you pick up the bike?" },
  { from: "winner", text: "Thank you so much! Would Saturday morning work, around 10?" },
  { from: "giver", text: "Saturday at 10 is perfect. I'm at Oranienstraße 12, ring the bell for Weber." },
  { from: "winner", text: "Great. I'll bring a pump in case the tyres are low." },
  { from: "giver", text: "Good idea. The lock key will be taped under the saddle. See you Saturday!" },
];

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(pngSignature)).toBe(true);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** A small picture of a bike, drawn on a canvas in the page: the "photo" the giver sends. */
async function bikePicture(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(`(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 480; canvas.height = 320;
    const c = canvas.getContext("2d");
    const sky = c.createLinearGradient(0, 0, 0, 320);
    sky.addColorStop(0, "#cfe3f0"); sky.addColorStop(1, "#eef3e6");
    c.fillStyle = sky; c.fillRect(0, 0, 480, 320);
    c.fillStyle = "#b9c7a5"; c.fillRect(0, 250, 480, 70);
    c.lineWidth = 9; c.strokeStyle = "#1f3f8f"; c.lineCap = "round";
    for (const x of [130, 350]) { c.beginPath(); c.arc(x, 220, 70, 0, Math.PI * 2); c.stroke(); }
    c.lineWidth = 10; c.strokeStyle = "#2a5bd7";
    c.beginPath(); c.moveTo(130, 220); c.lineTo(220, 130); c.lineTo(330, 130); c.lineTo(240, 220); c.closePath(); c.stroke();
    c.beginPath(); c.moveTo(240, 220); c.lineTo(205, 100); c.moveTo(330, 130); c.lineTo(350, 220); c.moveTo(318, 92); c.lineTo(330, 130); c.stroke();
    c.lineWidth = 12; c.strokeStyle = "#333";
    c.beginPath(); c.moveTo(185, 98); c.lineTo(228, 98); c.moveTo(305, 92); c.lineTo(345, 88); c.stroke();
    return canvas.toDataURL("image/png");
  })()`);
  return Buffer.from(String(dataUrl).split(",")[1]!, "base64");
}

/** Nothing focused and scrolled to the newest message, as a person would leave it. */
async function settle(page: Page) {
  await page.evaluate("document.activeElement && document.activeElement.blur()");
  await page.evaluate("(() => { const s = document.getElementById('message-scroller'); s.scrollTop = s.scrollHeight; })()");
}

describe.skipIf(browserTestsSkipped)("browser: screenshots for the README", () => {
  let server: TestServer;
  let giverBrowser: BrowserPerson;
  let winnerBrowser: BrowserPerson;
  beforeAll(async () => {
    mkdirSync(screenshotsDir, { recursive: true });
    server = await startTestServer();
    [giverBrowser, winnerBrowser] = await Promise.all([openPerson(), openPerson()]);
  });
  afterAll(async () => {
    await Promise.all([giverBrowser?.close(), winnerBrowser?.close()]);
    await server?.close();
  });

  it("writes chat-giver.png, chat-winner.png, chat-both.png, chat-phone.png and audit.png", async () => {
    const chat = await openChatBetween(
      server.url,
      { giver: giverBrowser, winner: winnerBrowser },
      { giver: "maria", winner: "tom" },
      { title: "Blue city bike, 28 inch", description: "Seven gears, recently serviced. Pickup in Kreuzberg." },
    );
    const pages = { giver: chat.giver.page, winner: chat.winner.page };
    for (const line of conversation) await sendInChat(pages[line.from], line.text);
    const texts = conversation.map((line) => line.text);

    // A photo, a reaction to it, and a reply quoting the address; the winner has read it all ("Seen").
    const photoText = "This is it, freshly oiled";
    await pages.giver.setInputFiles("#attach-input", { name: "bike.png", mimeType: "image/png", buffer: await bikePicture(pages.giver) });
    await pages.giver.locator("#attachment-chips .attachment-chip").waitFor();
    await sendInChat(pages.giver, photoText);
    const photo = pages.winner.locator(".message", { hasText: photoText });
    await photo.locator("img.thumb").waitFor();
    const photoId = (await photo.getAttribute("id"))!;
    await pages.winner.hover(`#${photoId} .bubble`);
    await pages.winner.locator(`#${photoId} .react-more > summary`).click();
    await pages.winner.locator(`#${photoId} .palette-emoji[value="❤️"]`).click();
    await pages.giver.locator(`#${photoId} .reaction[value="❤️"]`).waitFor();
    const addressId = (await pages.winner.locator(".message", { hasText: "Oranienstraße 12" }).getAttribute("id"))!;
    await pages.winner.hover(`#${addressId} .bubble`);
    await pages.winner.locator(`#${addressId} .reply-link`).click();
    const replyText = "Found it on the map — see you at 10!";
    await sendInChat(pages.winner, replyText);
    await pages.giver.locator(".message", { hasText: replyText }).locator(".reply-quote").waitFor();
    await sendInChat(pages.giver, "See you!");
    await pages.giver.locator("#seen-receipt").waitFor();
    texts.push(photoText, replyText, "See you!");
    let messageIds: string[] = [];
    for (const [side, page] of Object.entries(pages)) {
      const shown = await waitForTexts(page, side, texts);
      messageIds = shown.map((m) => m.id);
      expect(shown.slice(0, conversation.length).map((m) => m.mine)).toEqual(conversation.map((line) => line.from === side));
      await page.mouse.move(0, 0); // no message hovered: its tools hidden
      await page.locator('#presence[data-online="true"]').waitFor();
      await settle(page);
    }

    const giverFile = `${screenshotsDir}chat-giver.png`;
    const winnerFile = `${screenshotsDir}chat-winner.png`;
    await pages.giver.screenshot({ path: giverFile });
    await pages.winner.screenshot({ path: winnerFile });

    // The two side by side, composed in a blank page of their own.
    const composer = await giverBrowser.context.newPage();
    const size = pngSize(giverFile);
    await composer.setViewportSize({ width: size.width * 2 + 72, height: size.height + 84 });
    const dataUrl = (file: string) => `data:image/png;base64,${readFileSync(file).toString("base64")}`;
    await composer.setContent(`<!doctype html><html><body style="margin:0;padding:24px;background:#dfe5e0;font:600 15px system-ui,sans-serif;color:#1f2a24">
      <div style="display:flex;gap:24px">
        <figure style="margin:0"><figcaption style="margin-bottom:8px">maria, who gives the bike</figcaption><img id="giver" style="display:block;border-radius:8px;box-shadow:0 2px 10px rgba(0,0,0,.15)" src="${dataUrl(giverFile)}"></figure>
        <figure style="margin:0"><figcaption style="margin-bottom:8px">tom, who won it</figcaption><img id="winner" style="display:block;border-radius:8px;box-shadow:0 2px 10px rgba(0,0,0,.15)" src="${dataUrl(winnerFile)}"></figure>
      </div></body></html>`);
    await composer.waitForFunction("[...document.images].every((image) => image.complete && image.naturalWidth > 0)");
    const bothFile = `${screenshotsDir}chat-both.png`;
    await composer.screenshot({ path: bothFile, fullPage: true });

    // The winner's chat on a phone (390 x 844): the README's first picture.
    await pages.winner.setViewportSize({ width: 390, height: 844 });
    await settle(pages.winner);
    const phoneFile = `${screenshotsDir}chat-phone.png`;
    await pages.winner.screenshot({ path: phoneFile });

    // The audit as it stood when the third message was sent (its element id is msg-<revision>).
    const audit = await giverBrowser.context.newPage();
    await audit.setViewportSize({ width: 1100, height: 700 });
    const revision = Number(messageIds[2]!.replace("msg-", ""));
    await audit.goto(`${server.url}/giveaways/${chat.giveawayId}/audit?revision=${revision}`);
    expect(await audit.locator("ol.audit li[data-revision]").count()).toBe(revision + 1); // (besides the "Readers" lines)
    expect(await audit.locator("ol.audit li.current").getAttribute("data-revision")).toBe(String(revision));
    expect(await audit.locator("ol.audit li.message .content").allTextContents()).toEqual(conversation.slice(0, 3).map((line) => line.text));
    const auditFile = `${screenshotsDir}audit.png`;
    await audit.screenshot({ path: auditFile, fullPage: true });

    expect(pngSize(giverFile)).toEqual({ width: 900, height: 800 });
    expect(pngSize(winnerFile)).toEqual({ width: 900, height: 800 });
    expect(pngSize(bothFile).width).toBe(900 * 2 + 72);
    expect(pngSize(phoneFile)).toEqual({ width: 390, height: 844 });
    expect(pngSize(auditFile).width).toBe(1100);

    // A test run leaves the work tree as it was: what it wrote is ignored by git.
    if (!refreshingDocs) {
      const written = [giverFile, winnerFile, bothFile, phoneFile, auditFile];
      const ignored = execFileSync("git", ["check-ignore", ...written], { cwd: repoRoot, encoding: "utf8" }).trim().split("\n");
      expect(ignored.map((file) => resolve(repoRoot, file))).toEqual(written);
    }
  });
});
