// Trust and safety in three browsers (issue 26's scene): the winner, on a 390 px phone, asks for "a
// delivery fee"; the giver sees the scam warning (the winner does not), reports the message from it
// and blocks in one step; a moderator on a desktop window opens the report from the queue (the POST
// that records the look), hides the message and suspends the winner. The chat shows "removed by a
// moderator" live, on both open pages; the winner's open chat ends and
// sends them to sign in, where the suspension is what they read; the giver's audit of the
// conversation shows the report, the looks and the hide (the suspension is in the user's stream, not
// the giveaway's). The giveaway itself is set up through the API.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { callApi, openPerson, pageWidth, register, sendInChat, sessionToken, waitConnected, waitForTexts, watchConsoleErrors } from "./chatInBrowser.ts";

const password = "correct horse battery";
const scamText = "pay 5 EUR delivery fee first";


describe.skipIf(browserTestsSkipped)("browser: trust and safety, from a scam message to a suspension and the audit", () => {
  let server: TestServer;
  let people: BrowserPerson[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    people = await Promise.all([openPerson(), openPerson(), openPerson()]);
  });
  afterAll(async () => {
    await Promise.all(people.map((person) => person.close()));
    await server?.close();
  });

  it("warns the giver, who reports and blocks; a moderator hides and suspends; the winner's chat ends and sign-in refuses; the audit shows it", { timeout: 120_000 }, async () => {
    const url = server.url;
    const [annBrowser, bobBrowser, moBrowser] = people as [BrowserPerson, BrowserPerson, BrowserPerson];
    const consoleErrors: string[] = [];
    watchConsoleErrors(annBrowser, consoleErrors);
    watchConsoleErrors(moBrowser, consoleErrors);

    // Three people register in their own browsers; "moe" is made a moderator by the operator.
    const [ann, bob, mo] = await Promise.all([register(annBrowser, url, "ann"), register(bobBrowser, url, "bob"), register(moBrowser, url, "moe")]);
    const [annToken, bobToken, moToken] = await Promise.all([sessionToken(annBrowser), sessionToken(bobBrowser), sessionToken(moBrowser)]);
    const moId = (await callApi(url, moToken, "GET", "/api/me")).id as string;
    expect(await server.handoff.moderation.setModerator(moId, true, { actorId: "operator", correlationId: "t", causationId: "t" })).toEqual({ ok: true, appended: 1 });
    await vi.waitFor(() => expect(server.handoff.queries.isModerator(moId)).toBe(true));

    // Ann gives, Bob enters and wins, through the API.
    const giveawayId = (await callApi(url, annToken, "POST", "/api/giveaways", { title: "A lamp" })).id as string;
    await callApi(url, bobToken, "POST", `/api/giveaways/${giveawayId}/entries`);
    await callApi(url, annToken, "POST", `/api/giveaways/${giveawayId}/draw`);

    // Both open the chat; Bob on a phone, and the moderator works from one too.
    await bob.setViewportSize({ width: 390, height: 844 });
    await mo.setViewportSize({ width: 390, height: 844 });
    await Promise.all([ann.goto(`${url}/messages/${giveawayId}`), bob.goto(`${url}/messages/${giveawayId}`)]);
    await Promise.all([waitConnected(ann), waitConnected(bob)]);

    // Bob asks for a fee. Ann's page shows the warning under it, live; Bob's own page does not.
    await sendInChat(bob, scamText);
    const [shown] = await waitForTexts(ann, "ann", [scamText]);
    const warning = ann.locator(`#${shown!.id} .scam-warning`);
    await warning.waitFor();
    expect(await warning.getAttribute("data-warning")).toBe("delivery_fee");
    expect(await warning.innerText()).toContain("handoff giveaways are free: never pay to receive an item.");
    expect(await bob.locator(".scam-warning").count()).toBe(0);
    expect(await pageWidth(bob)).toBeLessThanOrEqual(390);
    const messageId = await ann.locator(`#${shown!.id}`).getAttribute("data-message-id");

    // Ann reports it from the warning's link, as a scam, and blocks Bob in the same step.
    await Promise.all([ann.waitForURL(`${url}/messages/${giveawayId}/report?messageId=${messageId}`), warning.locator("a.scam-report-link").click()]);
    expect(await ann.locator(".reported-message").innerText()).toContain(scamText);
    await ann.locator('input[name="reason"][value="scam"]').check();
    await ann.fill("#report-note", "asks for a delivery fee");
    await ann.locator("label.choice", { hasText: "Also block bob" }).locator('input[name="block"]').check();
    await Promise.all([ann.waitForURL(`${url}/messages/${giveawayId}/report?sent=1`), ann.click("#report-form button[type=submit]")]);
    expect(await ann.locator("#report-sent").innerText()).toContain("You have blocked bob");
    await Promise.all([ann.waitForURL(`${url}/messages/${giveawayId}`), ann.locator("a", { hasText: "Back to the chat" }).click()]);
    await waitConnected(ann);
    await ann.locator("#unblock-button").waitFor({ state: "attached" }); // the header's menu now offers Unblock instead of Block

    // The moderator's queue lists the report; opening it (a POST) shows the conversation as reported.
    await mo.goto(`${url}/moderation`);
    const queued = mo.locator(".moderation-queue .moderation-report", { hasText: "reported by ann" });
    await queued.waitFor();
    expect(await queued.innerText()).toMatch(/bob reported by ann for scam \(a message\) in “A lamp”/);
    expect(await queued.locator(".report-note").innerText()).toBe("asks for a delivery fee");
    expect(await pageWidth(mo)).toBeLessThanOrEqual(390);
    const openReport = async () => {
      const [response] = await Promise.all([
        mo.waitForResponse((r) => r.request().method() === "POST" && /\/moderation\/reports\/[^/]+\/views$/.test(new URL(r.url()).pathname)),
        mo.locator(".moderation-queue .moderation-report", { hasText: "reported by ann" }).locator("button", { hasText: "Open" }).click(),
      ]);
      expect(response.status()).toBe(200);
      await mo.locator("h1", { hasText: "Report on bob" }).waitFor();
    };
    await openReport();
    expect(await pageWidth(mo)).toBeLessThanOrEqual(390); // the report, its context and its forms fit a phone
    const reportedLine = mo.locator(".moderation-context .moderation-message.reported");
    expect(await reportedLine.locator(".bubble").innerText()).toBe(scamText);

    // It hides the message (back to the queue: the report stays open until dismissed).
    await reportedLine.locator('input[name="reason"]').fill("asks for money");
    await Promise.all([mo.waitForURL(`${url}/moderation`), reportedLine.locator("button", { hasText: "Hide this message" }).click()]);

    // Ann's open chat shows the message as "removed by a moderator", live (no reload).
    await ann.locator(`[data-message-id="${messageId}"] .removed-bubble`, { hasText: "removed by a moderator" }).waitFor();
    expect(await ann.locator(`[data-message-id="${messageId}"]`).innerText()).not.toContain("delivery fee");
    expect(await ann.locator(".scam-warning").count()).toBe(0);
    // Bob's too.
    await bob.locator(`[data-message-id="${messageId}"] .removed-bubble`, { hasText: "removed by a moderator" }).waitFor();

    // Then it suspends Bob from the report (opened again: a second recorded look). His open chat
    // hears `event: expired` (noted in the tab's sessionStorage, which outlives the navigation) and
    // goes to sign in, with the way back to the chat.
    await bob.evaluate(() => {
      document.getElementById("chat-stream")!.addEventListener("expired", () => sessionStorage.setItem("heard", "expired"));
    });
    await openReport();
    const suspend = mo.locator("#suspend-form");
    await suspend.locator('input[name="reason"]').fill("delivery-fee scam");
    await Promise.all([mo.waitForURL(`${url}/moderation`), suspend.locator("button", { hasText: "Suspend bob" }).click()]);
    await bob.waitForURL(`${url}/signin?next=${encodeURIComponent(`/messages/${giveawayId}`)}`, { timeout: 15_000 });
    await bob.locator("#signin-form").waitFor();
    expect(await bob.evaluate(() => sessionStorage.getItem("heard"))).toBe("expired");
    expect(await pageWidth(bob)).toBeLessThanOrEqual(390);

    // He cannot sign in again: the form says why.
    await bob.fill("#username", "bob");
    await bob.fill("#password", password);
    const [signInAnswer] = await Promise.all([bob.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signin"), bob.click("#signin-form button[type=submit]")]);
    expect(signInAnswer.status()).toBe(403);
    expect(await bob.locator("#form-error").innerText()).toBe("This account is suspended by a moderator.");
    expect(new URL(bob.url()).pathname).toBe("/signin");
    // And his old session no longer opens the chat.
    const [chatAnswer] = await Promise.all([bob.waitForResponse((r) => new URL(r.url()).pathname === `/messages/${giveawayId}`), bob.goto(`${url}/messages/${giveawayId}`)]);
    expect(chatAnswer.status()).toBe(403);
    expect(await bob.locator(".refusal h1").innerText()).toBe("Account suspended");

    // Ann's audit of the conversation: her report, the moderator's looks (named), the hide; the
    // scam text withheld from her; nothing of the suspension (it lives in Bob's user stream).
    await ann.goto(`${url}/giveaways/${giveawayId}/audit`);
    const line = (type: string) => ann.locator("ol.audit li.event", { has: ann.locator(".type", { hasText: new RegExp(`^${type}$`) }) });
    const reportLine = line("ReportFiled");
    expect(await reportLine.count()).toBe(1);
    expect(await reportLine.locator(".who").innerText()).toBe("ann");
    expect(await reportLine.locator(".what").innerText()).toContain(`reported bob for message ${messageId} (scam)`);
    const looks = line("ConversationViewedByModerator");
    expect(await looks.count()).toBe(2);
    expect(await looks.locator(".who").allInnerTexts()).toEqual(["moe", "moe"]);
    expect(await looks.first().locator(".what").innerText()).toContain("moderator: looked at the conversation for report");
    const hidden = line("MessageHidden");
    expect(await hidden.count()).toBe(1);
    expect(await hidden.locator(".who").innerText()).toBe("moe");
    expect(await hidden.locator(".what").innerText()).toContain(`moderator: hid message ${messageId} (asks for money)`);
    const sent = line("MessageSent");
    expect(await sent.locator(".what").allInnerTexts()).toEqual([expect.stringContaining("sent a message, hidden by a moderator since")]);
    const audit = await ann.locator("ol.audit").innerText();
    expect(audit).not.toContain(scamText);
    expect(audit.toLowerCase()).not.toContain("suspen");
    expect(consoleErrors).toEqual([]);
  });
});
