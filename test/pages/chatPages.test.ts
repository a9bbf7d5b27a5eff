// The giveaway flow and the chat without JavaScript: forms, 303 redirects, escaping, refusals, unread counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, eventually, inputValue, registerUser, sendByForm, type PageUser } from "./pageSession.ts";

let server: TestServer;
let ann: PageUser; // gives
let bob: PageUser; // wins
let cat: PageUser; // enters and loses, or never takes part

beforeAll(async () => {
  server = await startTestServer();
  [ann, bob, cat] = await Promise.all([registerUser(server, "ann"), registerUser(server, "bob"), registerUser(server, "cat")]);
});
afterAll(() => server.close());

const hostile = "<img src=x onerror=alert(1)>";
const count = (html: string, needle: string) => html.split(needle).length - 1;
const bubbles = (html: string) => [...html.matchAll(/<p class="bubble">([\s\S]*?)<\/p>/g)].map((m) => m[1]);

describe("a giveaway from creation to draw", () => {
  let giveawayId: string;

  it("creates once even when the form is sent twice", async () => {
    const list = await ann.get("/giveaways");
    const form = { giveawayId: inputValue(list.text, "giveawayId"), title: "A sofa", description: "Green.\nHeavy." };
    const first = await ann.post("/giveaways", form);
    const again = await ann.post("/giveaways", form);
    expect(first.status).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    giveawayId = form.giveawayId;
    const after = await ann.get("/giveaways");
    expect(count(after.text, `href="/giveaways/${giveawayId}"`)).toBe(1);
  });

  it("shows a refusal on the page: an empty title, the giver entering, someone else drawing", async () => {
    const list = await ann.get("/giveaways");
    const empty = await ann.post("/giveaways", { giveawayId: inputValue(list.text, "giveawayId"), title: "   " });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("The title must be 1 to 120 characters");
    const ownEntry = await ann.post(`/giveaways/${giveawayId}/entries`);
    expect(ownEntry.status).toBe(403);
    expect(ownEntry.text).toContain("You cannot enter your own giveaway");
    const noEntrants = await ann.post(`/giveaways/${giveawayId}/draw`);
    expect(noEntrants.status).toBe(409);
    expect(noEntrants.text).toContain("Nobody has entered yet");
  });

  it("lets others enter, only the giver draw, and shows the winner a way to the chat", async () => {
    expect((await bob.post(`/giveaways/${giveawayId}/entries`)).status).toBe(303);
    const page = await bob.get(`/giveaways/${giveawayId}`);
    expect(page.text).toContain('id="entered"');
    expect(page.text).toContain('id="entrant-count" data-count="1"');
    const notGiver = await bob.post(`/giveaways/${giveawayId}/draw`);
    expect(notGiver.status).toBe(403);
    expect(notGiver.text).toContain("Only the person giving this away can draw the winner");
    const early = await bob.get(`/messages/${giveawayId}`);
    expect(early.status).toBe(409);
    expect(early.text).toContain("The conversation opens once the winner has been drawn");

    expect((await ann.post(`/giveaways/${giveawayId}/draw`)).status).toBe(303);
    const drawn = await bob.get(`/giveaways/${giveawayId}`);
    expect(drawn.text).toContain('data-status="drawn"');
    expect(drawn.text).toContain('id="winner"');
    expect(drawn.text).toContain(`href="/messages/${giveawayId}"`);
    expect((await bob.post(`/giveaways/${giveawayId}/entries`)).status).toBe(409);
  });
});

describe("the chat without JavaScript", () => {
  let giveawayId: string;
  beforeAll(async () => {
    giveawayId = await drawnGiveaway(ann, bob, "A lamp");
  });

  it("posts by form, redirects back with 303, and shows the message escaped, line breaks kept", async () => {
    const content = `Hello ${hostile}\nsecond line`;
    const page = await ann.get(`/messages/${giveawayId}`);
    const sent = await ann.post(`/messages/${giveawayId}`, { id: inputValue(page.text, "id"), content });
    expect(sent.status).toBe(303);
    // The chat it goes back to names the revision written, so any process shows the message.
    expect(sent.headers.location).toMatch(new RegExp(`^/messages/${giveawayId}\\?minRevision=\\d+#latest$`));

    const asBob = await bob.get(`/messages/${giveawayId}`);
    expect(asBob.status).toBe(200);
    expect(asBob.text).not.toContain(hostile);
    expect(bubbles(asBob.text)).toEqual(["Hello &lt;img src=x onerror=alert(1)&gt;\nsecond line"]);
    expect(asBob.text).toMatch(/class="message theirs"[^>]*data-mine="false"/);
    expect(asBob.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">(Today|\w{3} \d{1,2} \w{3}( \d{4})?,) \d\d:\d\d UTC<\/time>/);
    const asAnn = await ann.get(`/messages/${giveawayId}`);
    expect(asAnn.text).toMatch(/class="message mine"[^>]*data-mine="true"/);
  });

  it("stores a retried send once; the same id with other text is refused and gets a fresh id", async () => {
    const page = await bob.get(`/messages/${giveawayId}`);
    const id = inputValue(page.text, "id");
    expect((await bob.post(`/messages/${giveawayId}`, { id, content: "On my way" })).status).toBe(303);
    expect((await bob.post(`/messages/${giveawayId}`, { id, content: "On my way" })).status).toBe(303);
    const after = await bob.get(`/messages/${giveawayId}`);
    expect(count(after.text, `data-message-id="${id}"`)).toBe(1);

    const clash = await bob.post(`/messages/${giveawayId}`, { id, content: "Something else" });
    expect(clash.status).toBe(409);
    expect(clash.text).toContain("An earlier copy of this message was already sent");
    expect(clash.text).toContain(">Something else</textarea>");
    expect(inputValue(clash.text, "id")).not.toBe(id);
  });

  it("keeps the text and shows why when a message is refused", async () => {
    const page = await bob.get(`/messages/${giveawayId}`);
    const tooLong = "x".repeat(2001);
    const refused = await bob.post(`/messages/${giveawayId}`, { id: inputValue(page.text, "id"), content: tooLong });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("A message must be 1 to 2000 characters");
    expect(refused.text).toContain(`>${tooLong}</textarea>`);
  });

  it("answers htmx with the form alone: cleared with a new id on success, kept with the error on failure", async () => {
    const page = await ann.get(`/messages/${giveawayId}`);
    const id = inputValue(page.text, "id");
    const ok = await ann.post(`/messages/${giveawayId}`, { id, content: "By htmx" }).set("HX-Request", "true");
    expect(ok.status).toBe(200);
    expect(ok.text.trim()).toMatch(/^<form id="message-form"/);
    expect(ok.text).toContain("></textarea>");
    expect(inputValue(ok.text, "id")).not.toBe(id);
    expect(server.handoff.queries.messageById(giveawayId, id)?.content).toBe("By htmx");

    const blank = await ann.post(`/messages/${giveawayId}`, { id: inputValue(ok.text, "id"), content: "  \n " }).set("HX-Request", "true");
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('id="message-error" class="form-error" role="alert">A message must be 1 to 2000 characters');
    expect(inputValue(blank.text, "id")).toBe(inputValue(ok.text, "id"));
  });

  it("shows anyone else a readable 403 and stores nothing from them", async () => {
    const page = await cat.get(`/messages/${giveawayId}`);
    expect(page.status).toBe(403);
    expect(page.text).toContain("Only the giver and the winner can see this conversation");
    expect(page.text).not.toContain("Hello &lt;img");
    const before = server.handoff.queries.latestMessages(giveawayId).length;
    const post = await cat.post(`/messages/${giveawayId}`, { id: "c0c0c0c0-0000-4000-8000-000000000001", content: "let me in" });
    expect(post.status).toBe(403);
    expect(server.handoff.queries.latestMessages(giveawayId).length).toBe(before);
    expect((await cat.post(`/messages/${giveawayId}/read`, { revision: "1" })).status).toBe(403);
    expect((await cat.get("/messages/no-such-giveaway")).status).toBe(404);
  });
});

describe("unread counts", () => {
  it("counts messages in the inbox and the badge until the chat is read, and never marks past the newest", async () => {
    const dan = await registerUser(server, "dan");
    const giveawayId = await drawnGiveaway(ann, dan, "A kettle");
    await sendByForm(ann, giveawayId, "one");
    await sendByForm(ann, giveawayId, "two");
    const unread = await eventually(() => dan.get("/inbox"), (r) => r.text.includes(`id="unread-${giveawayId}" class="badge" data-count="2"`));
    expect(unread.text).toContain(`id="unread-${giveawayId}" class="badge" data-count="2"`);
    expect(unread.text).toContain('id="unread-badge" class="badge" data-count="2"');

    // Opening the chat changes nothing (no state change on GET: a cross-site link cannot clear a count) ...
    expect((await dan.get(`/messages/${giveawayId}`)).status).toBe(200);
    expect((await dan.get("/inbox")).text).toContain('id="unread-badge" class="badge" data-count="2"');
    // ... the page's script posts the read mark.
    expect((await dan.post(`/messages/${giveawayId}/read`, { revision: "1000" })).status).toBe(204);
    const read = await eventually(() => dan.get("/inbox"), (r) => r.text.includes('id="unread-badge" class="badge" data-count="0"'));
    expect(read.text).toContain(`id="unread-${giveawayId}" class="badge" data-count="0"`);

    // A read mark far ahead is clamped, so the next message still counts.
    expect((await dan.post(`/messages/${giveawayId}/read`, { revision: "1000" })).status).toBe(204);
    expect((await dan.post(`/messages/${giveawayId}/read`, { revision: "soon" })).status).toBe(422);
    await sendByForm(ann, giveawayId, "three");
    const again = await eventually(() => dan.get("/inbox"), (r) => r.text.includes('id="unread-badge" class="badge" data-count="1"'));
    expect(again.text).toContain('id="unread-badge" class="badge" data-count="1"');
  });

  it("marks read without JavaScript by the chat's form (a POST), which goes back to the chat", async () => {
    const eve = await registerUser(server, "eve");
    const giveawayId = await drawnGiveaway(ann, eve, "A toaster");
    await sendByForm(ann, giveawayId, "one");
    await sendByForm(ann, giveawayId, "two");
    const page = await eventually(() => eve.get(`/messages/${giveawayId}`), (r) => r.text.includes("Mark as read"));
    // Only without script: chat.js marks read by itself when the newest message is in view.
    const form = /<noscript>[\s\S]*?(<form class="mark-read-form" method="post" action="([^"]+)">[\s\S]*?<\/form>)[\s\S]*?<\/noscript>/.exec(page.text);
    expect(form, "the no-JS chat has a mark-read form").not.toBeNull();
    expect(form![2]).toBe(`/messages/${giveawayId}/read`);
    // Opening the page marked nothing.
    expect((await eve.get("/inbox")).text).toContain('id="unread-badge" class="badge" data-count="2"');

    const marked = await eve.post(form![2]!, { revision: inputValue(form![1]!, "revision"), then: inputValue(form![1]!, "then") });
    expect(marked.status).toBe(303);
    expect(marked.headers.location).toMatch(new RegExp(`^/messages/${giveawayId}(\\?minRevision=\\d+)?#latest$`));
    const back = await eve.get(marked.headers.location!.replace(/#.*/, ""));
    expect(back.status).toBe(200);
    expect(back.text).not.toContain("mark-read-form");
    expect((await eve.get("/inbox")).text).toContain('id="unread-badge" class="badge" data-count="0"');
    // Nothing unread: no form.
    expect((await ann.get(`/messages/${giveawayId}`)).text).not.toContain("mark-read-form");
  });
});
