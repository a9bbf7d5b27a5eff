// Ratings in the browser: after a handover (set up through the API), the giver rates on a desktop
// window and the winner on a 390 px phone, each with the chat page's form; then each sees the
// other's rating on the profile page.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { callApi, pageWidth, register, sessionToken, useServerAndTwoPeople, watchConsoleErrors } from "./chatInBrowser.ts";


describe.skipIf(browserTestsSkipped)("browser: rating each other after the handover", () => {
  const stage = useServerAndTwoPeople();

  it("both rate with the chat's form (desktop and 390 px) and see the ratings on the profile pages", { timeout: 120_000 }, async () => {
    const { server, ann: annBrowser, bob: bobBrowser } = stage;
    const url = server.url;
    const consoleErrors: string[] = [];
    watchConsoleErrors(annBrowser, consoleErrors);
    watchConsoleErrors(bobBrowser, consoleErrors);
    const [ann, bob] = await Promise.all([register(annBrowser, url, "ann"), register(bobBrowser, url, "bob")]);
    const [annToken, bobToken] = await Promise.all([sessionToken(annBrowser), sessionToken(bobBrowser)]);
    const [annId, bobId] = [(await callApi(url, annToken, "GET", "/api/me")).id, (await callApi(url, bobToken, "GET", "/api/me")).id];

    // The whole giveaway through the API: created, entered, drawn, a pickup agreed, handed over and received.
    const giveawayId = (await callApi(url, annToken, "POST", "/api/giveaways", { title: "A rocking chair" })).id as string;
    await callApi(url, bobToken, "POST", `/api/giveaways/${giveawayId}/entries`);
    await callApi(url, annToken, "POST", `/api/giveaways/${giveawayId}/draw`);
    const soon = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
    const proposal = await callApi(url, annToken, "POST", `/api/giveaways/${giveawayId}/pickup/proposals`, { from: soon(1), to: soon(2), place: "The porch" });
    await callApi(url, bobToken, "POST", `/api/giveaways/${giveawayId}/pickup/proposals/${proposal.proposalId as string}/accept`);
    await callApi(url, annToken, "POST", `/api/giveaways/${giveawayId}/handover`);
    expect((await callApi(url, bobToken, "POST", `/api/giveaways/${giveawayId}/handover`)).status).toBe("completed");

    // Ann, on a desktop window: five stars and a comment.
    await ann.goto(`${url}/messages/${giveawayId}`);
    await ann.locator("#rating", { hasText: "Rate bob" }).waitFor();
    await ann.locator('#rating input[name="stars"][value="5"]').check();
    await ann.fill("#rating-comment", "Picked it up right on time, thank you!");
    await Promise.all([ann.waitForURL(/#rating$/), ann.click("#rating-submit")]);
    await ann.locator("#rating .rating-given-stars", { hasText: "★★★★★" }).waitFor();
    expect(await ann.locator('#rating input[name="stars"][value="5"]').isChecked()).toBe(true);

    // Bob, on a phone 390 px wide: the form fits, four stars.
    await bob.setViewportSize({ width: 390, height: 844 });
    await bob.goto(`${url}/messages/${giveawayId}`);
    await bob.locator("#rating", { hasText: "Rate ann" }).waitFor();
    expect(await pageWidth(bob)).toBeLessThanOrEqual(390);
    await bob.locator('#rating label.star-option', { hasText: "4 stars" }).click();
    await bob.fill("#rating-comment", "Lovely chair, easy pickup");
    await Promise.all([bob.waitForURL(/#rating$/), bob.click("#rating-submit")]);
    await bob.locator("#rating .rating-given-stars", { hasText: "★★★★" }).waitFor();
    expect(await pageWidth(bob)).toBeLessThanOrEqual(390);

    // Each sees the other's rating on the profile page (linked from the folded rating panel).
    await bob.click("#rating summary");
    await bob.locator("#rating-submit", { hasText: "Update your rating" }).waitFor();
    await Promise.all([bob.waitForURL(`${url}/users/${annId as string}`), bob.click("#rating-profile-link")]);
    await bob.locator("#profile-rating", { hasText: "4.0" }).waitFor();
    expect(await bob.locator("#profile-rating").innerText()).toContain("(1 rating)");
    expect(await bob.locator("#rating-comments").innerText()).toContain("Lovely chair, easy pickup");
    expect(await pageWidth(bob)).toBeLessThanOrEqual(390);

    await ann.goto(`${url}/users/${bobId as string}`);
    await ann.locator("#profile-rating", { hasText: "5.0" }).waitFor();
    const comment = ann.locator("#rating-comments .rating-comment").first();
    expect(await comment.innerText()).toContain("Picked it up right on time, thank you!");
    expect(await comment.innerText()).toContain("A rocking chair");
    expect(consoleErrors).toEqual([]);
  });
});
