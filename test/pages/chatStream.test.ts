// The chat's HTML stream on a real server: frames with id = revision, each rendered for its viewer,
// escaped; resume by Last-Event-ID with no gap and no duplicate; presence and the unread badge.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { connectSse, type SseConnection, type SseFrame } from "../support/sseClient.ts";
import { drawnGiveaway, inputValue, registerUser, sendByForm, type PageUser } from "./pageSession.ts";

let server: TestServer;
let ann: PageUser;
let bob: PageUser;
let giveawayId: string;
const opened: SseConnection[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [ann, bob] = await Promise.all([registerUser(server, "ann"), registerUser(server, "bob")]);
  giveawayId = await drawnGiveaway(ann, bob);
});
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});
afterAll(() => server.close());

async function stream(user: PageUser | undefined, path: string, headers: Record<string, string> = {}) {
  const opening = await connectSse(`${server.url}${path}`, user ? { Cookie: user.cookie, ...headers } : headers);
  opened.push(opening);
  return opening;
}
/** Once `count` frames matching have come: all of them, from the start. */
function arrived(stream: SseConnection, matches: (frame: SseFrame) => boolean, count = 1): Promise<SseFrame[]> {
  return vi.waitFor(
    () => {
      const found = stream.events.filter(matches);
      if (found.length < count) throw new Error(`waited for ${count} frames; have ${JSON.stringify(stream.events, null, 1)}`);
      return found;
    },
    { timeout: 10_000, interval: 20 },
  );
}
const firstArrived = async (stream: SseConnection, matches: (frame: SseFrame) => boolean) => (await arrived(stream, matches))[0]!;
const isMessage = (frame: SseFrame) => frame.id !== undefined;
const revisionsOf = (frames: SseFrame[]) => frames.filter(isMessage).map((frame) => Number(frame.id));
const storedRevisions = () => server.handoff.queries.messagesAfter(giveawayId, -1).map((m) => m.revision);
const chatStreamPath = (after?: number) => `/messages/${giveawayId}/stream${after === undefined ? "" : `?after=${after}`}`;

describe("the chat's HTML stream", () => {
  it("sends history after ?after as message frames with id = revision, rendered for the viewer and escaped", async () => {
    await sendByForm(ann, giveawayId, "<img src=x onerror=alert(1)>\nbring a bag");
    await sendByForm(bob, giveawayId, "thanks!");
    const asBob = await stream(bob, chatStreamPath(-1));
    expect(asBob.status).toBe(200);
    expect(asBob.headers["content-type"]).toMatch(/^text\/event-stream/);
    const [first, second] = await arrived(asBob, isMessage, 2);
    expect(revisionsOf([first!, second!])).toEqual(storedRevisions());
    expect(first!.data).toContain(`id="msg-${first!.id}"`);
    expect(first!.data).toContain('class="message theirs"');
    expect(first!.data).not.toContain("<img");
    expect(first!.data).toContain("&lt;img src=x onerror=alert(1)&gt;\nbring a bag");
    expect(second!.data).toContain('class="message mine"');
    expect(asBob.text()).toMatch(/^retry: \d+/);
  });

  it("delivers new messages live, each rendered for its own viewer", async () => {
    const asAnn = await stream(ann, chatStreamPath());
    const asBob = await stream(bob, chatStreamPath());
    await firstArrived(asBob, (f) => f.data.includes('id="presence"'));
    await sendByForm(bob, giveawayId, "live one");
    const toBob = await firstArrived(asBob, (f) => isMessage(f) && f.data.includes("live one"));
    const toAnn = await firstArrived(asAnn, (f) => isMessage(f) && f.data.includes("live one"));
    expect(toBob.id).toBe(toAnn.id);
    expect(Number(toBob.id)).toBe(storedRevisions().at(-1));
    expect(toBob.data).toContain('class="message mine"');
    expect(toAnn.data).toContain('class="message theirs"');
    expect(asAnn.events.filter(isMessage)).toHaveLength(1); // without ?after or Last-Event-ID: only new ones
  });

  it("resumes after Last-Event-ID (over a stale ?after) with no gap and no duplicate", async () => {
    const before = await stream(bob, chatStreamPath(-1));
    const seen = await arrived(before, isMessage, storedRevisions().length);
    const lastSeen = seen.at(-1)!.id!;
    before.close();

    await sendByForm(ann, giveawayId, "while you were away 1");
    await sendByForm(ann, giveawayId, "while you were away 2");
    await sendByForm(bob, giveawayId, "from my other tab");

    const resumed = await stream(bob, chatStreamPath(-1), { "Last-Event-ID": lastSeen });
    const missed = storedRevisions().filter((revision) => revision > Number(lastSeen));
    expect(missed).toHaveLength(3);
    const frames = await arrived(resumed, isMessage, 3);
    expect(revisionsOf(frames)).toEqual(missed);
    expect(frames.map((f) => /<p class="bubble">([^<]*)<\/p>/.exec(f.data)![1])).toEqual([
      "while you were away 1",
      "while you were away 2",
      "from my other tab",
    ]);
    // Everything seen before plus everything after, once each, in order, is the whole conversation.
    expect([...revisionsOf(seen), ...revisionsOf(frames)]).toEqual(storedRevisions());

    await sendByForm(ann, giveawayId, "and live after the resume");
    const live = await firstArrived(resumed, (f) => isMessage(f) && f.data.includes("and live after the resume"));
    expect(Number(live.id)).toBe(storedRevisions().at(-1));
    expect(revisionsOf(resumed.events)).toEqual(storedRevisions().filter((revision) => revision > Number(lastSeen)));
  });

  it("tells each participant when the other comes and goes", async () => {
    const asBob = await stream(bob, chatStreamPath());
    const isOffline = (f: SseFrame) => f.data.includes('id="presence"') && f.data.includes('data-online="false"');
    // (A stream of ann's from an earlier test may still be closing: wait until she is offline.)
    const offline = await firstArrived(asBob, isOffline);
    expect(offline.data).toContain("ann</strong><span class=\"presence-state\"> · offline");
    expect(offline.data).toContain('hx-swap-oob="true"');
    const offlineSoFar = asBob.events.filter(isOffline).length;

    const asAnn = await stream(ann, chatStreamPath());
    await firstArrived(asBob, (f) => f.data.includes('data-online="true"') && f.data.includes("ann</strong><span class=\"presence-state\"> · online"));
    asAnn.close();
    await arrived(asBob, isOffline, offlineSoFar + 1);
  });

  it("refuses before streaming: 401 without a session, 403 to anyone else, 404 for no such giveaway", async () => {
    const anonymous = await stream(undefined, chatStreamPath());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["hx-redirect"]).toBe("/signin");
    const cat = await registerUser(server, "cat");
    const stranger = await stream(cat, chatStreamPath());
    expect(stranger.status).toBe(403);
    expect(stranger.headers["content-type"]).not.toMatch(/event-stream/);
    expect((await stream(cat, "/messages/no-such-giveaway/stream")).status).toBe(404);
  });
});

describe("the unread badge, live", () => {
  it("updates the nav badge on /me/stream, and leaves the conversation on screen out of the chat stream's badge", async () => {
    const notifications = await stream(ann, "/me/stream");
    const initial = await firstArrived(notifications, (f) => f.data.includes('id="unread-badge"'));
    const countIn = (frame: SseFrame) => Number(/id="unread-badge" class="badge" data-count="(\d+)"/.exec(frame.data)![1]);
    const start = countIn(initial);
    const chat = await stream(ann, chatStreamPath());
    await firstArrived(chat, (f) => f.data.includes('id="unread-badge"'));

    await sendByForm(bob, giveawayId, "did you see this?");
    const raised = await firstArrived(notifications, (f) => f.data.includes('id="unread-badge"') && countIn(f) === start + 1);
    expect(raised.data).toContain(`id="unread-${giveawayId}"`);
    await firstArrived(chat, (f) => isMessage(f) && f.data.includes("did you see this?"));
    // The chat's own conversation does not raise its badge: the reader is looking at it.
    expect(chat.events.filter((f) => f.data.includes('id="unread-badge"'))).toHaveLength(1);
  });

  it("updates an inbox row's last message on /me/stream, escaped, and says when it is your own", async () => {
    const notifications = await stream(ann, "/me/stream");
    await firstArrived(notifications, (f) => f.data.includes('id="unread-badge"'));
    await sendByForm(bob, giveawayId, "see <you> at 10");
    const theirs = await firstArrived(notifications, (f) => f.data.includes(`id="inbox-last-${giveawayId}"`) && f.data.includes("at 10"));
    expect(theirs.data).toContain("see &lt;you&gt; at 10");
    expect(theirs.data).not.toContain("You: ");
    await sendByForm(ann, giveawayId, "sounds good");
    const mine = await firstArrived(notifications, (f) => f.data.includes(`id="inbox-last-${giveawayId}"`) && f.data.includes("sounds good"));
    expect(mine.data).toContain("You: sounds good");
    expect(mine.data).toContain('hx-swap-oob="true"');
  });

  it("announces a draw the user won", async () => {
    const eve = await registerUser(server, "eve");
    const notifications = await stream(eve, "/me/stream");
    await firstArrived(notifications, (f) => f.data.includes('id="unread-badge"'));
    const wonId = await drawnGiveaway(ann, eve, "A <b>kite</b>");
    const notice = await firstArrived(notifications, (f) => f.data.includes('class="notice"'));
    expect(notice.data).toContain(`href="/messages/${wonId}"`);
    expect(notice.data).toContain("A &lt;b&gt;kite&lt;/b&gt;");
  });

  it("tells the giver's pages when someone enters, so the giveaway page follows", async () => {
    const giver = await registerUser(server, "gil");
    const entrant = await registerUser(server, "ena");
    const notifications = await stream(giver, "/me/stream");
    await firstArrived(notifications, (f) => f.data.includes('id="unread-badge"'));
    const list = await giver.get("/giveaways");
    const created = await giver.post("/giveaways", { giveawayId: inputValue(list.text, "giveawayId"), title: "A rug", description: "" });
    const giveawayId = new URL(created.headers.location!, "http://x").pathname.replace("/giveaways/", "");
    expect((await entrant.post(`/giveaways/${giveawayId}/entries`)).status).toBe(303);
    const changed = await firstArrived(notifications, (f) => f.event === "giveaway-changed");
    expect(changed.data).toBe(giveawayId);
  });
});
