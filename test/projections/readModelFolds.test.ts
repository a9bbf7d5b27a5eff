// Every read model, given domain events, then its rows: the domain's rules as the projections fold
// them, without a server (projectionKit.ts). Expected rows are written from the rule, not read back.
import { describe, expect, it } from "vitest";
import { giveawayStream } from "../../src/domain/streams.ts";
import { blocksQueries } from "../../src/projections/blocksProjection.ts";
import { conversationQueries } from "../../src/projections/conversationProjection.ts";
import { giveawaysQueries } from "../../src/projections/giveawaysProjection.ts";
import { inboxPreviewLength, inboxQueries } from "../../src/projections/inboxProjection.ts";
import { moderatorsQueries } from "../../src/projections/moderatorsProjection.ts";
import { pickupQueries } from "../../src/projections/pickupProjection.ts";
import { ratingsQueries } from "../../src/projections/ratingsProjection.ts";
import { reportsQueries } from "../../src/projections/reportsProjection.ts";
import { sessionsQueries } from "../../src/projections/sessionsProjection.ts";
import { suspensionsQueries } from "../../src/projections/suspensionsProjection.ts";
import { timelineQueries } from "../../src/projections/timelineProjection.ts";
import { usersQueries } from "../../src/projections/usersProjection.ts";
import { alice, at, bob, carol, created, drawn, drawnWithAliceWinning, entered, giveawayId, giver, message1, message2, messageSent, stranger } from "../domain/fixtures.ts";
import {
  accepted,
  agreed,
  cancelled,
  completed,
  declined,
  drawnAmongThree,
  handedOver,
  iso,
  prizeDeclined,
  proposal1,
  proposal2,
  proposed,
  received,
  redrawn,
  reminded,
} from "../domain/pickupFixtures.ts";
import { byUser, given, inGiveaway, projectionKit, type GivenEvent } from "./projectionKit.ts";
import {
  allSessionsEnded,
  attachment1,
  attachment2,
  blocked,
  createdAs,
  detailsChanged,
  edited,
  granted,
  hidden,
  linked,
  message3,
  muted,
  plus,
  profile,
  rated,
  reacted,
  readUpTo,
  registered,
  report1,
  report2,
  reportDismissed,
  reportFiled,
  reserved,
  retracted,
  revoked,
  secondGiveawayId,
  sentAt,
  session1,
  session2,
  sessionEnded,
  sessionStarted,
  sha,
  suspended,
  systemMessage,
  unblocked,
  unmuted,
  unreacted,
  unsuspended,
  uploaded,
  viewedByModerator,
  withdrawn,
} from "./readModelEvents.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

const stream = giveawayStream(giveawayId);
/** The giveaway's participants' names, so the queries' joins have someone to show. */
const names = () => byUser(registered(giver, "gina"), registered(alice, "alice"), registered(bob, "bob"), registered(carol, "carol"));

/** Each describe below is one read model; this list is checked against declaredReadModels. */
const covered = ["users", "giveaways", "pickup", "conversation", "timeline", "inbox", "sessions", "blocks", "reports", "moderators", "suspensions", "ratings", "notification_settings" /* notificationSettingsFolds.test.ts */];

it("every read model has its folds here", () => {
  expect(declaredReadModels.map((projection) => projection.name).sort()).toEqual([...covered].sort());
});

describe("users", () => {
  it("a registration names the user; the username's own stream adds nothing", () => {
    const models = given(byUser(reserved(alice, "alice"), registered(alice, "alice")));
    expect(models.rows("users")).toEqual([{ id: alice, username: "alice", registered_at: at, platform_sub: null, picture: null }]);
  });

  it("a platform user is named by their sub until a profile names them; the newest profile wins, the first sighting stays", () => {
    const models = given(byUser(linked(bob, "sub-bob", plus(0))));
    expect(models.rows("users")).toEqual([{ id: bob, username: "sub-bob", registered_at: plus(0), platform_sub: "sub-bob", picture: null }]);
    models.and(byUser(profile(bob, "sub-bob", "Bob B", { picture: "https://cdn.example/bob.png" }, plus(60)), profile(bob, "sub-bob", "Bobby", {}, plus(120))));
    // The newest profile has no picture: none is shown, not the older one.
    expect(models.rows("users")).toEqual([{ id: bob, username: "Bobby", registered_at: plus(0), platform_sub: "sub-bob", picture: null }]);
    expect(usersQueries(models.db).userById(bob)).toEqual({ id: bob, username: "Bobby", platformSub: "sub-bob", picture: null });
  });

  it("linking the same user again keeps the name their profile gave", () => {
    const models = given(byUser(linked(bob, "sub-bob"), profile(bob, "sub-bob", "Bobby"), linked(bob, "sub-bob", plus(10))));
    expect(models.rows("users")).toMatchObject([{ id: bob, username: "Bobby" }]);
  });
});

describe("giveaways", () => {
  it("a new giveaway is open, without entrants or winner", () => {
    const models = given(inGiveaway(giveawayId, created()));
    expect(models.rows("giveaways")).toEqual([
      { id: giveawayId, title: "A bike", description: "", giver_id: giver, status: "open", entrant_count: 0, winner_id: null, created_at: at, drawn_at: null, last_revision: 0, platform_id: null },
    ]);
  });

  it("a GiveawayCreated written before descriptions existed has an empty one; a platform's keeps its platform id", () => {
    const old: GivenEvent = { streamId: stream, type: "GiveawayCreated", data: { giveawayId, giverId: giver, title: "Old lamp", createdAt: at } };
    const models = given(old, inGiveaway(secondGiveawayId, createdAs(secondGiveawayId, giver, "Sofa", { platformId: "sofa-1" })));
    expect(models.rows("giveaways").map(({ id, description, platform_id }) => ({ id, description, platform_id }))).toEqual([
      { id: giveawayId, description: "", platform_id: null },
      { id: secondGiveawayId, description: "", platform_id: "sofa-1" },
    ]);
  });

  it("counts each entrant once, and no longer one who withdrew", () => {
    const models = given(inGiveaway(giveawayId, created(), entered(alice), entered(bob), entered(alice)));
    expect(models.rows("giveaways")[0]).toMatchObject({ entrant_count: 2 });
    expect(models.rows("entrants").map((row) => row.user_id)).toEqual([alice, bob]);
    models.and(inGiveaway(giveawayId, withdrawn(bob), withdrawn(stranger)));
    // The stranger never entered: their withdrawal takes nobody off the count.
    expect(models.rows("giveaways")[0]).toMatchObject({ entrant_count: 1 });
    expect(models.rows("entrants")).toEqual([{ giveaway_id: giveawayId, user_id: alice, entered_at: at }]);
    expect(giveawaysQueries(models.db).hasEntered(giveawayId, bob)).toBe(false);
  });

  it("the draw sets the winner and when", () => {
    const models = given(names(), inGiveaway(giveawayId, ...drawnWithAliceWinning()));
    expect(models.rows("giveaways")[0]).toMatchObject({ status: "drawn", winner_id: alice, drawn_at: at, entrant_count: 2 });
    expect(giveawaysQueries(models.db).giveawayById(giveawayId)).toMatchObject({ giverName: "gina", winnerName: "alice", status: "drawn" });
  });

  it("the pickup moves the status: agreed, then completed", () => {
    const models = given(inGiveaway(giveawayId, ...agreed()));
    expect(models.rows("giveaways")[0]).toMatchObject({ status: "pickup_agreed" });
    models.and(inGiveaway(giveawayId, handedOver(30), received(alice, 30), completed(30, 24)));
    expect(models.rows("giveaways")[0]).toMatchObject({ status: "completed" });
  });

  it("a cancelled giveaway says so", () => {
    const models = given(inGiveaway(giveawayId, ...drawnAmongThree(), cancelled(2, 24, "moving away")));
    expect(models.rows("giveaways")[0]).toMatchObject({ status: "cancelled", winner_id: alice });
  });

  it("a redraw names the new winner and goes back to drawn; the draw's time stays the first one", () => {
    const models = given(inGiveaway(giveawayId, ...agreed(), prizeDeclined(alice, 1), redrawn(bob, alice, "declined", 2)));
    expect(models.rows("giveaways")[0]).toMatchObject({ status: "drawn", winner_id: bob, drawn_at: at });
  });

  it("the platform's change of details changes only the fields it names", () => {
    const models = given(inGiveaway(giveawayId, created("A bike", "Blue, 26 inch"), detailsChanged({ title: "A red bike" })));
    expect(models.rows("giveaways")[0]).toMatchObject({ title: "A red bike", description: "Blue, 26 inch", giver_id: giver });
    models.and(inGiveaway(giveawayId, detailsChanged({ giverId: carol, description: "" })));
    expect(models.rows("giveaways")[0]).toMatchObject({ title: "A red bike", description: "", giver_id: carol });
  });

  it("remembers the newest revision of its stream, whether the events come in one batch or one by one", () => {
    const story = inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, giver, "hi"), readUpTo(alice, 4));
    const together = projectionKit().given(story);
    const oneByOne = projectionKit({ batches: "one-by-one" }).given(story);
    expect(together.rows("giveaways")[0]).toMatchObject({ last_revision: 5 });
    expect(oneByOne.rows("giveaways")[0]).toMatchObject({ last_revision: 5 });
    together.and(inGiveaway(giveawayId, messageSent(message2, alice, "thanks")));
    expect(together.rows("giveaways")[0]).toMatchObject({ last_revision: 6 });
  });
});

describe("pickup", () => {
  // drawnAmongThree: created, alice, bob and carol entered, alice drawn at revision 4.
  it("the draw opens the first round, and an empty pickup", () => {
    const models = given(inGiveaway(giveawayId, ...drawnAmongThree()));
    expect(models.rows("pickup_rounds")).toEqual([{ giveaway_id: giveawayId, from_revision: 4, winner_id: alice, until_revision: null, started_at: at, end_reason: null }]);
    expect(models.rows("pickups")).toEqual([
      {
        giveaway_id: giveawayId,
        plan_proposal_id: null,
        agreed_at: null,
        reminded_at: null,
        handed_over_at: null,
        received_at: null,
        prize_declined_at: null,
        completed_at: null,
        cancelled_at: null,
        cancel_reason: null,
        read_only_from: null,
      },
    ]);
  });

  it("a newer proposal supersedes the open one; accepting it makes the plan; the superseded one can no longer be accepted", () => {
    const models = given(inGiveaway(giveawayId, ...drawnAmongThree(), proposed(proposal1, giver), proposed(proposal2, alice, 30, 32, "Station", "", 1), accepted(proposal2, giver, 2)));
    const statuses = () => Object.fromEntries(models.rows("pickup_proposals").map((row) => [row.proposal_id, [row.status, row.answered_by, row.answered_at]]));
    expect(statuses()).toEqual({ [proposal1]: ["superseded", null, null], [proposal2]: ["accepted", giver, iso(2)] });
    expect(models.rows("pickup_proposals", { proposal_id: proposal2 })).toMatchObject([{ revision: 6, proposed_by: alice, from_at: iso(30), to_at: iso(32), place: "Station", note: "" }]);
    expect(models.rows("pickups")[0]).toMatchObject({ plan_proposal_id: proposal2, agreed_at: iso(2) });
    models.and(inGiveaway(giveawayId, accepted(proposal1, alice, 3)));
    expect(statuses()[proposal1]).toEqual(["superseded", null, null]);
    expect(models.rows("pickups")[0]).toMatchObject({ plan_proposal_id: proposal2, agreed_at: iso(2) });
  });

  it("a declined proposal makes no plan", () => {
    const models = given(inGiveaway(giveawayId, ...drawnAmongThree(), proposed(proposal1, giver), declined(proposal1, alice, 1)));
    expect(models.rows("pickup_proposals")).toMatchObject([{ proposal_id: proposal1, status: "declined", answered_by: alice, answered_at: iso(1) }]);
    expect(models.rows("pickups")[0]).toMatchObject({ plan_proposal_id: null, agreed_at: null });
  });

  it("an agreed plan waits for its reminder until it is sent", () => {
    const models = given(inGiveaway(giveawayId, ...agreed()));
    expect(pickupQueries(models.db).pendingReminders()).toEqual([{ giveawayId, proposalId: proposal1, from: iso(24) }]);
    models.and(inGiveaway(giveawayId, reminded(proposal1, 20)));
    expect(models.rows("pickups")[0]).toMatchObject({ reminded_at: iso(20) });
    expect(pickupQueries(models.db).pendingReminders()).toEqual([]);
  });

  it("the handover: each side's first confirmation counts; completion closes open proposals and sets the last words' end", () => {
    const models = given(inGiveaway(giveawayId, ...agreed(), handedOver(25), received(alice, 26), handedOver(27), proposed(proposal2, giver, 50, 51), completed(27, 24)));
    expect(models.rows("pickups")[0]).toMatchObject({ handed_over_at: iso(25), received_at: iso(26), completed_at: iso(27), read_only_from: iso(51) });
    expect(models.rows("pickup_proposals", { proposal_id: proposal2 })).toMatchObject([{ status: "superseded" }]);
  });

  it("a redraw closes the round, opens the next and starts the pickup over", () => {
    const models = given(inGiveaway(giveawayId, ...drawnAmongThree(), proposed(proposal1, giver), prizeDeclined(alice, 1), redrawn(bob, alice, "declined", 2)));
    expect(models.rows("pickups")[0]).toMatchObject({ prize_declined_at: null, plan_proposal_id: null });
    expect(pickupQueries(models.db).roundsOf(giveawayId)).toEqual([
      { winnerId: alice, fromRevision: 4, untilRevision: 7, startedAt: at },
      { winnerId: bob, fromRevision: 7, startedAt: iso(2) },
    ]);
    expect(models.rows("pickup_rounds", { winner_id: alice })).toMatchObject([{ end_reason: "declined" }]);
    expect(models.rows("pickup_proposals")).toMatchObject([{ proposal_id: proposal1, status: "superseded" }]);
  });

  it("before a redraw, the declined prize is recorded", () => {
    const models = given(inGiveaway(giveawayId, ...drawnAmongThree(), prizeDeclined(alice, 1)));
    expect(models.rows("pickups")[0]).toMatchObject({ prize_declined_at: iso(1) });
  });

  it("a cancellation records why and until when last words are taken; the agreed plan stays what it was", () => {
    const models = given(inGiveaway(giveawayId, ...agreed(), cancelled(3, 24, "moving away")));
    expect(models.rows("pickups")[0]).toMatchObject({ cancelled_at: iso(3), cancel_reason: "moving away", read_only_from: iso(27), plan_proposal_id: proposal1 });
    expect(models.rows("pickup_proposals")).toMatchObject([{ status: "accepted" }]);
    expect(pickupQueries(models.db).pendingReminders()).toEqual([]);
  });
});

describe("conversation", () => {
  // drawnWithAliceWinning: revisions 0..3; the conversation starts at 4.
  it("messages in stream order with their senders; a system message has none; a reply names what it quotes", () => {
    const models = given(
      names(),
      inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, giver, "Congrats!"), systemMessage(message2, "Pick-up window opens"), sentAt(message3, alice, "Thanks!", plus(10), { replyTo: message1 })),
    );
    expect(models.rows("messages").map(({ revision, id, sender_id, content, reply_to }) => ({ revision, id, sender_id, content, reply_to }))).toEqual([
      { revision: 4, id: message1, sender_id: giver, content: "Congrats!", reply_to: null },
      { revision: 5, id: message2, sender_id: null, content: "Pick-up window opens", reply_to: null },
      { revision: 6, id: message3, sender_id: alice, content: "Thanks!", reply_to: message1 },
    ]);
    expect(conversationQueries(models.db).messagesAfter(giveawayId, -1).map((m) => [m.kind, m.senderName])).toEqual([
      ["user", "gina"],
      ["system", null],
      ["user", "alice"],
    ]);
  });

  it("a message carries the attachments uploaded before it (an unknown id is dropped); removing it withdraws them", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), uploaded(attachment1, alice, "b"), sentAt(message1, alice, "the photo", at, { attachmentIds: [attachment1, attachment2] })));
    const ref = { id: attachment1, contentType: "image/png", size: 1234, sha256: sha("b") };
    expect(JSON.parse(models.rows("messages")[0]!.attachments as string)).toEqual([ref]);
    expect(models.rows("attachments")).toEqual([
      { giveaway_id: giveawayId, id: attachment1, uploader_id: alice, sha256: sha("b"), content_type: "image/png", size: 1234, uploaded_at: at, revision: 4, withdrawn: 0 },
    ]);
    expect(conversationQueries(models.db).attachmentById(giveawayId, attachment1)).toMatchObject(ref);
    models.and(inGiveaway(giveawayId, retracted(message1, alice, plus(5))));
    expect(models.rows("messages")[0]).toMatchObject({ content: "", attachments: "[]", retracted_at: plus(5) });
    expect(models.rows("attachments")[0]).toMatchObject({ withdrawn: 1 });
    expect(conversationQueries(models.db).attachmentById(giveawayId, attachment1)).toBeUndefined();
  });

  it("reactions: by emoji in the set's order, each with its users in the order they reacted; removing one takes it off", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, giver, "Congrats!"), reacted(message1, alice, "❤️"), reacted(message1, giver, "👍"), reacted(message1, alice, "👍")));
    // Compared as text: the order of the keys is part of the rule.
    expect(models.rows("messages")[0]!.reactions).toBe(JSON.stringify({ "👍": [giver, alice], "❤️": [alice] }));
    models.and(inGiveaway(giveawayId, unreacted(message1, giver, "👍"), unreacted(message1, alice, "❤️")));
    expect(models.rows("messages")[0]!.reactions).toBe(JSON.stringify({ "👍": [alice] }));
    expect(models.rows("reactions")).toEqual([{ giveaway_id: giveawayId, message_id: message1, user_id: alice, emoji: "👍" }]);
  });

  it("an edit replaces the text; a removed message takes no edit", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, giver, "Congrats!"), messageSent(message2, giver, "Sat?"), edited(message1, giver, "Congrats, Alice!", plus(5))));
    expect(models.rows("messages", { id: message1 })).toMatchObject([{ content: "Congrats, Alice!", edited_at: plus(5) }]);
    models.and(inGiveaway(giveawayId, retracted(message2, giver, plus(6)), edited(message2, giver, "Sunday?", plus(7))));
    expect(models.rows("messages", { id: message2 })).toMatchObject([{ content: "", edited_at: null, retracted_at: plus(6) }]);
  });

  it("a moderator's hide takes the text away from every view and from later edits", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, alice, "send me money"), hidden(message1, plus(3)), edited(message1, alice, "hello", plus(4))));
    expect(models.rows("messages")).toMatchObject([{ content: "", hidden_at: plus(3), edited_at: null }]);
    expect(conversationQueries(models.db).messageById(giveawayId, message1)).toMatchObject({ content: null, hiddenByModerator: true });
  });
});

describe("timeline", () => {
  it("one frame per durable conversation fact, at its revision; the giveaway's other facts make none", () => {
    const models = given(
      inGiveaway(
        giveawayId,
        ...drawnWithAliceWinning(), // 0..3: no frames
        messageSent(message1, giver, "hi"), // 4
        readUpTo(alice, 4, plus(1)), // 5
        reacted(message1, alice, "👍", plus(2)), // 6
        edited(message1, giver, "hi!", plus(3)), // 7
        systemMessage(message2, "note", plus(4)), // 8
        hidden(message2, plus(5)), // 9
        retracted(message1, giver, plus(6)), // 10
        muted(alice), // 11: no frame
        reportFiled(report1, alice, giver, 10), // 12: no frame
        rated(alice, giver, 5, "great"), // 13: no frame
      ),
    );
    expect(models.rows("timeline").map(({ revision, kind, message_id, user_id, at: when, data }) => [revision, kind, message_id, user_id, when, data])).toEqual([
      [4, "message", message1, giver, at, null],
      [5, "read", null, alice, plus(1), JSON.stringify({ upToRevision: 4 })],
      [6, "reaction", message1, alice, plus(2), JSON.stringify({ emoji: "👍", reacted: true })],
      [7, "message-edited", message1, giver, plus(3), null],
      // A system message and a moderator's hide are nobody's: user "".
      [8, "message", message2, "", plus(4), null],
      [9, "message-hidden", message2, "", plus(5), null],
      [10, "message-retracted", message1, giver, plus(6), null],
    ]);
  });

  it("a pickup frame carries the event as the catalogue reads it, at the time the store recorded it", () => {
    const recordedAt = new Date("2025-01-05T06:07:08.000Z");
    // Without a note: the catalogue's default ("") is what the frame carries.
    const proposal = { proposalId: proposal1, proposedBy: giver, from: iso(24), to: iso(26), place: "Main St 1", proposedAt: iso(0) };
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning()), { streamId: stream, type: "PickupProposed", data: proposal, created: recordedAt });
    const [frame] = models.rows("timeline");
    expect(frame).toMatchObject({ revision: 4, kind: "pickup", message_id: null, user_id: "", at: recordedAt.toISOString() });
    expect(JSON.parse(frame!.data as string)).toEqual({ type: "PickupProposed", data: { ...proposal, note: "" } });
    expect(timelineQueries(models.db).timelineAt(giveawayId, 4)).toEqual({ kind: "pickup", giveawayId, revision: 4, event: { type: "PickupProposed", data: { ...proposal, note: "" } } });
  });

  it("a read mark is the further of the last read and the last message sent", () => {
    const models = given(
      inGiveaway(giveawayId, ...drawnWithAliceWinning(), sentAt(message1, giver, "one", plus(1)), sentAt(message2, alice, "two", plus(2)), sentAt(message3, alice, "three", plus(3)), readUpTo(giver, 5, plus(4))),
    );
    const timeline = timelineQueries(models.db);
    expect(timeline.readMarkOf(giveawayId, giver)).toEqual({ upToRevision: 5, at: plus(4) });
    expect(timeline.readMarkOf(giveawayId, alice)).toEqual({ upToRevision: 6, at: plus(3) });
    expect(timeline.readMarkOf(giveawayId, bob)).toBeUndefined();
    models.and(inGiveaway(giveawayId, sentAt("9c0d8e7f-0004-4bcd-9eee-000000000004", giver, "four", plus(5))));
    expect(timeline.readMarkOf(giveawayId, giver)).toEqual({ upToRevision: 8, at: plus(5) });
    expect(timeline.lastActiveAt(giveawayId, alice)).toBe(plus(3));
  });
});

describe("inbox", () => {
  it("the draw opens a row for the giver and the winner, facing each other; a losing entrant gets none", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning()));
    const row = (userId: string, other: string) => ({
      user_id: userId,
      giveaway_id: giveawayId,
      other_user_id: other,
      last_message_revision: null,
      last_message_preview: null,
      last_message_at: null,
      last_message_sender_id: null,
      last_read_revision: 3,
      unread_count: 0,
      opened_at: at,
      muted: 0,
    });
    expect(models.rows("inbox", { user_id: giver })).toEqual([row(giver, alice)]);
    expect(models.rows("inbox", { user_id: alice })).toEqual([row(alice, giver)]);
    expect(models.rows("inbox", { user_id: bob })).toEqual([]);
  });

  it("a message from the other person raises unread; reading resets it to what comes after the mark; sending reads everything", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), sentAt(message1, giver, "one", plus(1)), sentAt(message2, giver, "two", plus(2))));
    const unread = (userId: string) => models.rows("inbox", { user_id: userId })[0]!.unread_count;
    expect([unread(alice), unread(giver)]).toEqual([2, 0]);
    expect(models.rows("inbox", { user_id: giver })[0]).toMatchObject({ last_read_revision: 5, last_message_preview: "two", last_message_at: plus(2), last_message_sender_id: giver, last_message_revision: 5 });
    models.and(inGiveaway(giveawayId, readUpTo(alice, 4)));
    expect(unread(alice)).toBe(1);
    expect(models.rows("inbox", { user_id: alice })[0]).toMatchObject({ last_read_revision: 4 });
    models.and(inGiveaway(giveawayId, sentAt(message3, alice, "three", plus(3))));
    expect([unread(alice), unread(giver)]).toEqual([0, 1]);
    expect(models.rows("inbox", { user_id: alice })[0]).toMatchObject({ last_read_revision: 7 });
    expect(inboxQueries(models.db).unreadTotal(giver)).toBe(1);
  });

  it("an older read mark never takes the mark back", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, giver, "one"), messageSent(message2, giver, "two"), readUpTo(alice, 5), readUpTo(alice, 4)));
    expect(models.rows("inbox", { user_id: alice })[0]).toMatchObject({ last_read_revision: 5, unread_count: 0 });
  });

  it("a system message is unread for both participants", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), systemMessage(message1, "The giver changed the address", plus(1))));
    expect(models.rows("inbox").map((row) => [row.user_id, row.unread_count, row.last_message_sender_id, row.last_message_preview])).toEqual([
      [giver, 1, null, "The giver changed the address"],
      [alice, 1, null, "The giver changed the address"],
    ]);
  });

  it("the preview is the last message's beginning; editing or removing the last message changes it, an earlier one does not", () => {
    const long = "x".repeat(inboxPreviewLength) + "-and-more";
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, giver, "first"), messageSent(message2, alice, long)));
    expect(models.rows("inbox", { user_id: giver })[0]!.last_message_preview).toBe("x".repeat(inboxPreviewLength));
    models.and(inGiveaway(giveawayId, edited(message1, giver, "first, edited")));
    expect(models.rows("inbox", { user_id: giver })[0]!.last_message_preview).toBe("x".repeat(inboxPreviewLength));
    models.and(inGiveaway(giveawayId, edited(message2, alice, "short now")));
    expect(models.rows("inbox").map((row) => row.last_message_preview)).toEqual(["short now", "short now"]);
    models.and(inGiveaway(giveawayId, retracted(message2, alice)));
    expect(models.rows("inbox").map((row) => row.last_message_preview)).toEqual(["", ""]);
  });

  it("muting is the user's own", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), muted(alice)));
    expect(models.rows("inbox").map((row) => [row.user_id, row.muted])).toEqual([
      [giver, 0],
      [alice, 1],
    ]);
    models.and(inGiveaway(giveawayId, unmuted(alice)));
    expect(inboxQueries(models.db).inboxEntry(alice, giveawayId)).toMatchObject({ muted: false });
  });

  it("after a redraw the new winner gets a row from the redraw on, the giver faces them, the former winner's row stands still", () => {
    const models = given(
      names(),
      inGiveaway(giveawayId, ...drawnAmongThree(), messageSent(message1, giver, "Congrats!"), prizeDeclined(alice, 1), redrawn(bob, alice, "declined", 2), messageSent(message2, giver, "Your turn, Bob")),
    );
    expect(models.rows("inbox", { user_id: bob })).toMatchObject([{ other_user_id: giver, last_read_revision: 7, opened_at: iso(2), unread_count: 1, last_message_preview: "Your turn, Bob" }]);
    expect(models.rows("inbox", { user_id: giver })).toMatchObject([{ other_user_id: bob, last_message_revision: 8 }]);
    expect(models.rows("inbox", { user_id: alice })).toMatchObject([{ other_user_id: giver, unread_count: 1, last_message_revision: 5, last_message_preview: "Congrats!" }]);
    expect(inboxQueries(models.db).inboxFor(giver)).toMatchObject([{ otherUsername: "bob", status: "drawn" }]);
  });
});

describe("sessions", () => {
  it("starting a session writes nothing: only ends are looked up", () => {
    const models = given(byUser(sessionStarted(alice, session1)));
    expect([models.rows("ended_sessions"), models.rows("sessions_ended_before")]).toEqual([[], []]);
  });

  it("SessionEnded ends that session only", () => {
    const models = given(byUser(sessionStarted(alice, session1), sessionStarted(alice, session2), sessionEnded(alice, session1, plus(10))));
    expect(models.rows("ended_sessions")).toEqual([{ session_id: session1, user_id: alice, ended_at: plus(10) }]);
    const sessions = sessionsQueries(models.db);
    expect(sessions.sessionHasEnded(alice, session1, new Date(at))).toBe(true);
    expect(sessions.sessionHasEnded(alice, session2, new Date(at))).toBe(false);
  });

  it("AllSessionsEnded ends every session of the user started before it, none after, nobody else's", () => {
    const models = given(byUser(allSessionsEnded(alice, plus(100))));
    expect(models.rows("sessions_ended_before")).toEqual([{ user_id: alice, ended_before: Date.parse(plus(100)) }]);
    const sessions = sessionsQueries(models.db);
    expect(sessions.sessionHasEnded(alice, session1, new Date(plus(50)))).toBe(true);
    expect(sessions.sessionHasEnded(alice, session2, new Date(plus(150)))).toBe(false);
    expect(sessions.sessionHasEnded(bob, session1, new Date(plus(50)))).toBe(false);
  });

  it("a later sign-out everywhere moves the line on; an older one never moves it back", () => {
    const models = given(byUser(allSessionsEnded(alice, plus(200)), allSessionsEnded(alice, plus(100))));
    expect(models.rows("sessions_ended_before")).toEqual([{ user_id: alice, ended_before: Date.parse(plus(200)) }]);
    models.and(byUser(allSessionsEnded(alice, plus(300))));
    expect(models.rows("sessions_ended_before")).toEqual([{ user_id: alice, ended_before: Date.parse(plus(300)) }]);
  });
});

describe("blocks", () => {
  it("a block stands one way: the blocker's", () => {
    const models = given(byUser(blocked(alice, bob, plus(1))));
    expect(models.rows("blocks")).toEqual([{ blocker_id: alice, blocked_id: bob, blocked_at: plus(1) }]);
    const blocks = blocksQueries(models.db);
    expect([blocks.hasBlocked(alice, bob), blocks.hasBlocked(bob, alice)]).toEqual([true, false]);
    expect(blocks.blockersOf(bob)).toEqual([alice]);
  });

  it("unblocking lifts it; blocking again starts a new block", () => {
    const models = given(byUser(blocked(alice, bob, plus(1)), unblocked(alice, bob, plus(2))));
    expect(models.rows("blocks")).toEqual([]);
    models.and(byUser(blocked(alice, bob, plus(3))));
    expect(models.rows("blocks")).toEqual([{ blocker_id: alice, blocked_id: bob, blocked_at: plus(3) }]);
  });

  it("blocking someone already blocked keeps the first block's time", () => {
    const models = given(byUser(blocked(alice, bob, plus(1)), blocked(alice, bob, plus(5))));
    expect(models.rows("blocks")).toEqual([{ blocker_id: alice, blocked_id: bob, blocked_at: plus(1) }]);
  });

  it("the list is newest first, with names ('?' for someone unknown)", () => {
    const models = given(names(), byUser(blocked(alice, bob, plus(1)), blocked(alice, carol, plus(2)), blocked(alice, stranger, plus(0))));
    expect(blocksQueries(models.db).blocksOf(alice)).toEqual([
      { userId: carol, username: "carol", blockedAt: plus(2) },
      { userId: bob, username: "bob", blockedAt: plus(1) },
      { userId: stranger, username: "?", blockedAt: plus(0) },
    ]);
  });
});

describe("reports", () => {
  it("a filed report is open, with what it is about", () => {
    const models = given(
      inGiveaway(
        giveawayId,
        ...drawnWithAliceWinning(),
        messageSent(message1, giver, "pay the delivery fee first"),
        reportFiled(report1, alice, giver, 4, { note: "asks for money", messageId: message1 }, plus(1)),
        reportFiled(report2, giver, alice, 5, { reason: "harassment" }, plus(2)),
      ),
    );
    expect(models.rows("reports")).toEqual([
      { id: report1, giveaway_id: giveawayId, reporter_id: alice, reported_user_id: giver, reason: "scam", note: "asks for money", message_id: message1, at_revision: 4, filed_at: plus(1), status: "open" },
      { id: report2, giveaway_id: giveawayId, reporter_id: giver, reported_user_id: alice, reason: "harassment", note: null, message_id: null, at_revision: 5, filed_at: plus(2), status: "open" },
    ]);
    expect(reportsQueries(models.db).openReports().map((report) => report.id)).toEqual([report2, report1]);
  });

  it("a dismissal takes the report out of the queue; a moderator's look changes nothing; an unknown report's dismissal adds none", () => {
    const models = given(inGiveaway(giveawayId, ...drawnWithAliceWinning(), reportFiled(report1, alice, giver, 3), viewedByModerator(report1)));
    expect(models.rows("reports")).toMatchObject([{ id: report1, status: "open" }]);
    models.and(inGiveaway(giveawayId, reportDismissed(report1), reportDismissed(report2)));
    expect(models.rows("reports")).toMatchObject([{ id: report1, status: "dismissed" }]);
    expect(reportsQueries(models.db).openReports()).toEqual([]);
  });
});

describe("moderators", () => {
  it("the operator's grant makes a moderator until revoked", () => {
    const models = given(byUser(granted(alice)));
    expect(models.rows("moderator_standing")).toEqual([{ user_id: alice, granted: 1, platform_roles: "[]" }]);
    expect(moderatorsQueries(models.db).isModerator(alice)).toBe(true);
    models.and(byUser(revoked(alice)));
    expect(models.rows("moderator_standing")).toEqual([{ user_id: alice, granted: 0, platform_roles: "[]" }]);
    expect(moderatorsQueries(models.db).isModerator(alice)).toBe(false);
  });

  it("the platform's latest roles count; revoking a grant does not take the platform's role away", () => {
    const models = given(byUser(profile(bob, "sub-bob", "Bob", { roles: ["member", "moderator"] }), granted(bob), revoked(bob)));
    expect(models.rows("moderator_standing")).toEqual([{ user_id: bob, granted: 0, platform_roles: JSON.stringify(["member", "moderator"]) }]);
    expect(moderatorsQueries(models.db).isModerator(bob)).toBe(true);
    models.and(byUser(profile(bob, "sub-bob", "Bob", { roles: ["member"] })));
    expect(moderatorsQueries(models.db).isModerator(bob)).toBe(false);
  });

  it("someone the log never named is no moderator", () => {
    const models = given(byUser(registered(carol, "carol"), granted(alice)));
    expect(models.rows("moderator_standing").map((row) => row.user_id)).toEqual([alice]);
    expect(moderatorsQueries(models.db).isModerator(carol)).toBe(false);
  });
});

describe("suspensions", () => {
  it("a suspension until a time", () => {
    const models = given(byUser(suspended(alice, plus(3600), plus(0))));
    expect(models.rows("suspensions")).toEqual([{ user_id: alice, suspended_at: plus(0), until: plus(3600) }]);
    expect(suspensionsQueries(models.db).suspensionOf(alice)).toEqual({ suspendedAt: plus(0), until: plus(3600) });
  });

  it("a suspension for good has no end", () => {
    const models = given(byUser(suspended(alice, undefined, plus(0))));
    expect(suspensionsQueries(models.db).suspensionOf(alice)).toEqual({ suspendedAt: plus(0), until: null });
  });

  it("lifted, it is gone; a new one replaces the standing one", () => {
    const models = given(byUser(suspended(alice, undefined, plus(0)), unsuspended(alice, plus(10))));
    expect(models.rows("suspensions")).toEqual([]);
    expect(suspensionsQueries(models.db).suspensionOf(alice)).toBeUndefined();
    models.and(byUser(suspended(alice, plus(7200), plus(20)), suspended(alice, plus(900), plus(30)), suspended(bob, undefined, plus(40))));
    expect(models.rows("suspensions")).toEqual([
      { user_id: alice, suspended_at: plus(30), until: plus(900) },
      { user_id: bob, suspended_at: plus(40), until: null },
    ]);
  });
});

describe("ratings", () => {
  const done = () => [...agreed(), handedOver(25), received(alice, 25), completed(25, 24)];

  it("each side's rating of the other; no comment is an empty one", () => {
    const models = given(inGiveaway(giveawayId, ...done(), rated(alice, giver, 5, "Lovely bike", plus(1)), rated(giver, alice, 4, undefined, plus(2))));
    expect(models.rows("ratings")).toEqual([
      { giveaway_id: giveawayId, rater_id: giver, ratee_id: alice, stars: 4, comment: "", rated_at: plus(2) },
      { giveaway_id: giveawayId, rater_id: alice, ratee_id: giver, stars: 5, comment: "Lovely bike", rated_at: plus(1) },
    ]);
  });

  it("an edit replaces the rating", () => {
    const models = given(inGiveaway(giveawayId, ...done(), rated(alice, giver, 2, "late", plus(1)), rated(alice, giver, 5, undefined, plus(2))));
    expect(models.rows("ratings")).toEqual([{ giveaway_id: giveawayId, rater_id: alice, ratee_id: giver, stars: 5, comment: "", rated_at: plus(2) }]);
    expect(ratingsQueries(models.db).ratingBy(giveawayId, alice)).toMatchObject({ stars: 5, comment: "" });
  });

  it("a profile's summary counts every giveaway's rating once", () => {
    const second = [createdAs(secondGiveawayId, giver, "A lamp"), entered(bob), drawn(bob)];
    const models = given(
      names(),
      inGiveaway(giveawayId, ...done(), rated(alice, giver, 3, "ok", plus(1)), rated(alice, giver, 5, "great after all", plus(2))),
      inGiveaway(secondGiveawayId, ...second, rated(bob, giver, 4, "nice lamp", plus(3))),
    );
    const ratings = ratingsQueries(models.db);
    expect(ratings.ratingSummaryOf(giver)).toEqual({ count: 2, average: 4.5 });
    expect(ratings.ratingSummaryOf(alice)).toEqual({ count: 0, average: null });
    expect(ratings.latestRatingCommentsOf(giver).map((rating) => [rating.raterName, rating.giveawayTitle, rating.comment])).toEqual([
      ["bob", "A lamp", "nice lamp"],
      ["alice", "A bike", "great after all"],
    ]);
  });
});

describe("any batching", () => {
  it("one batch or one batch per event: the same rows in every table", () => {
    const story = [
      names(),
      byUser(blocked(bob, carol), sessionStarted(alice, session1), sessionEnded(alice, session1), granted(carol), suspended(bob, plus(60))),
      inGiveaway(
        giveawayId,
        ...agreed(),
        sentAt(message1, giver, "see you", plus(1)),
        reacted(message1, alice, "👍"),
        readUpTo(alice, 7),
        sentAt(message2, alice, "on my way", plus(2)),
        edited(message2, alice, "on my way!"),
        handedOver(25),
        received(alice, 25),
        completed(25, 24),
        rated(alice, giver, 5, "thanks"),
        reportFiled(report1, giver, alice, 12),
      ),
    ];
    const together = projectionKit().given(story);
    const oneByOne = projectionKit({ batches: "one-by-one" }).given(story);
    const tables = together.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    expect(tables.length).toBeGreaterThan(15);
    for (const table of tables) expect(oneByOne.rows(table), table).toEqual(together.rows(table));
    // Not vacuous: the story reached the tables it is about.
    expect(together.rows("messages")).toHaveLength(2);
    expect(together.rows("ratings")).toHaveLength(1);
  });
});
