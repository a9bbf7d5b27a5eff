// Block and Report without JavaScript: the chat's links and forms, the confirmation page, the
// report form (for the conversation and for one message), and what the blocked person sees.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, inputValue, registerUser, sendByForm, type PageUser } from "./pageSession.ts";

let server: TestServer;
let ann: PageUser; // gives
let bob: PageUser; // wins
let cat: PageUser; // no part in it

beforeAll(async () => {
  server = await startTestServer();
  [ann, bob, cat] = await Promise.all([registerUser(server, "ann"), registerUser(server, "bob"), registerUser(server, "cat")]);
});
afterAll(() => server.close());

const reports = async (giveawayId: string) => (await server.handoff.store.readAll()).filter((event) => event.type === "ReportFiled" && event.streamId === `giveaway-${giveawayId}`);
const messageIdOf = (html: string, content: string) => {
  const match = new RegExp(`data-message-id="([^"]+)"[^>]*>\\s*<span class="visually-hidden">[^<]*</span>\\s*(?:<a[^>]*>.*?</a>\\s*)?<p class="bubble">${content}</p>`).exec(html);
  if (!match) throw new Error(`no message "${content}"`);
  return match[1]!;
};

describe("Report", () => {
  it("each of the other person's messages has a Report link to its form; one's own has none; the header reports the conversation", async () => {
    const giveawayId = await drawnGiveaway(ann, bob, "A kettle");
    await sendByForm(bob, giveawayId, "pay 5 EUR delivery fee first");
    await sendByForm(ann, giveawayId, "no thanks");
    const chat = await ann.get(`/messages/${giveawayId}`);
    const scamId = messageIdOf(chat.text, "pay 5 EUR delivery fee first");
    const ownId = messageIdOf(chat.text, "no thanks");
    expect(chat.text).toContain(`href="/messages/${giveawayId}/report?messageId=${scamId}"`);
    expect(chat.text).not.toContain(`href="/messages/${giveawayId}/report?messageId=${ownId}"`);
    expect(chat.text).toContain(`id="report-conversation" href="/messages/${giveawayId}/report"`);

    const form = await ann.get(`/messages/${giveawayId}/report?messageId=${scamId}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain("pay 5 EUR delivery fee first");
    expect(inputValue(form.text, "messageId")).toBe(scamId);
    expect(await reports(giveawayId)).toEqual([]); // the GET changed nothing

    const sent = await ann.post(`/messages/${giveawayId}/report`, { messageId: scamId, reason: "scam", note: "asks for a fee" });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/messages/${giveawayId}/report?sent=1`);
    expect((await ann.get(sent.headers.location!)).text).toContain("Report sent");
    expect((await reports(giveawayId)).map((event) => event.data)).toEqual([
      expect.objectContaining({ reporterId: server.handoff.queries.giveawayById(giveawayId)!.giverId, messageId: scamId, reason: "scam", note: "asks for a fee" }),
    ]);
  });

  it("refuses one's own message, a stranger, no reason (keeping the note), and a note too long", async () => {
    const giveawayId = await drawnGiveaway(ann, bob, "A toaster");
    await sendByForm(bob, giveawayId, "hello");
    const ownId = messageIdOf((await bob.get(`/messages/${giveawayId}`)).text, "hello");
    expect((await bob.get(`/messages/${giveawayId}/report?messageId=${ownId}`)).status).toBe(422);
    expect((await bob.post(`/messages/${giveawayId}/report`, { messageId: ownId, reason: "spam" })).status).toBe(422);
    expect((await cat.get(`/messages/${giveawayId}/report`)).status).toBe(403);
    expect((await cat.post(`/messages/${giveawayId}/report`, { reason: "spam" })).status).toBe(403);
    expect((await ann.get(`/messages/${giveawayId}/report?messageId=nope`)).status).toBe(404);
    const noReason = await ann.post(`/messages/${giveawayId}/report`, { note: "kept <b>here</b>" });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain("kept &lt;b&gt;here&lt;/b&gt;");
    const tooLong = await ann.post(`/messages/${giveawayId}/report`, { reason: "other", note: "x".repeat(1001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain("at most 1000 characters");
    expect(await reports(giveawayId)).toEqual([]);
  });
});

describe("Block", () => {
  it("Block opens a confirmation page; its form blocks; the blocked person's send explains no more; Unblock lifts it", async () => {
    const giveawayId = await drawnGiveaway(ann, bob, "A lamp");
    await sendByForm(bob, giveawayId, "is it still there?");
    const chat = await ann.get(`/messages/${giveawayId}`);
    expect(chat.text).toContain(`id="block-link" href="/messages/${giveawayId}/block"`);
    const confirm = await ann.get(`/messages/${giveawayId}/block`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`Block ${bob.username}?`);
    expect(server.handoff.queries.blocksOf(server.handoff.queries.giveawayById(giveawayId)!.giverId)).toEqual([]); // the GET changed nothing

    const blocked = await ann.post(`/messages/${giveawayId}/block`);
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toBe(`/messages/${giveawayId}`);
    expect((await ann.get(`/messages/${giveawayId}`)).text).toContain('id="unblock-button"');

    const page = await bob.get(`/messages/${giveawayId}`);
    expect(page.text).toContain("is it still there?"); // history stays readable
    const refused = await bob.post(`/messages/${giveawayId}`, { id: inputValue(page.text, "id"), content: "hello?" });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("You can&#39;t send messages in this conversation.");
    expect(refused.text).not.toMatch(/blocked/i);
    expect(refused.text).toContain("hello?"); // what was typed stays in the box

    expect((await ann.post(`/messages/${giveawayId}/unblock`)).status).toBe(303);
    await sendByForm(bob, giveawayId, "hello again");
  });

  it("a report can block in the same step; the blocked person cannot enter the blocker's giveaways", async () => {
    const giveawayId = await drawnGiveaway(ann, bob, "A rug");
    const sent = await bob.post(`/messages/${giveawayId}/report`, { reason: "harassment", block: "1" });
    expect(sent.status).toBe(303);
    expect((await bob.get(sent.headers.location!)).text).toContain(`You have blocked ${ann.username}`);
    const list = await bob.get("/giveaways");
    const created = await bob.post("/giveaways", { giveawayId: inputValue(list.text, "giveawayId"), title: "Bob's chair", description: "" });
    const bobsGiveaway = new URL(created.headers.location!, "http://x").pathname.replace("/giveaways/", "");
    const entry = await ann.post(`/giveaways/${bobsGiveaway}/entries`);
    expect(entry.text).toContain("You can&#39;t enter this giveaway.");
    expect(server.handoff.queries.giveawayById(bobsGiveaway)!.entrantCount).toBe(0);
    await ann.post(`/messages/${giveawayId}/block`); // ann blocks bob too: both ways
    expect((await cat.post(`/messages/${giveawayId}/block`)).status).toBe(403);
  });
});
