import { describe, it } from "vitest";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, bob, giver, message1, message2, messageSent } from "./fixtures.ts";
import {
  agreed, cancelled, completed, drawnAmongThree, handedOver, hour, later, proposal1, proposal2, proposed, received, reminded,
} from "./pickupFixtures.ts";

const lastWordsMs = 24 * hour;
const confirm = (by: string, nowHours = 25): GiveawayCommand => ({ type: "ConfirmHandover", by, now: later(nowHours), lastWordsMs });
const send = (messageId: string, senderId: string, nowHours: number, content = "thanks!"): GiveawayCommand => ({
  type: "SendMessage", messageId, senderId, content, now: later(nowHours),
});
const atHours = (event: ReturnType<typeof messageSent>, hours: number) => ({ ...event, data: { ...event.data, sentAt: later(hours).toISOString() } }) as typeof event;

describe("ConfirmHandover", () => {
  it("the giver's side is 'handed over', the winner's 'received'", () => {
    given(agreed()).when(confirm(giver)).then([handedOver(25)]);
    given(agreed()).when(confirm(alice)).then([received(alice, 25)]);
  });

  it("the second side completes the giveaway, with last words open for the configured time", () => {
    given([...agreed(), handedOver(25)]).when(confirm(alice, 26)).then([received(alice, 26), completed(26, 24)]);
    given([...agreed(), received(alice, 25)]).when(confirm(giver, 26)).then([handedOver(26), completed(26, 24)]);
  });

  it("confirming one's side again is a retry, even after completion", () => {
    given([...agreed(), handedOver(25)]).when(confirm(giver, 26)).then([]);
    given([...agreed(), handedOver(25), received(alice, 25), completed(25, 24)]).when(confirm(alice, 30)).then([]);
  });

  it("refuses without an agreed plan, outsiders, and a cancelled giveaway", () => {
    given(drawnAmongThree()).when(confirm(giver)).then("pickup_not_agreed");
    given([...drawnAmongThree(), proposed(proposal1, giver)]).when(confirm(alice)).then("pickup_not_agreed");
    given(agreed()).when(confirm(bob)).then("not_participant");
    given([...agreed(), cancelled(2, 24)]).when(confirm(giver)).then("giveaway_cancelled");
  });
});

describe("last words after completion or cancellation", () => {
  const done = () => [...agreed(), handedOver(25), received(alice, 25), completed(25, 24)];

  it("takes a thank-you until the configured time has passed, then refuses", () => {
    given(done()).when(send(message1, alice, 48)).then([atHours(messageSent(message1, alice, "thanks!"), 48)]);
    given(done()).when(send(message1, alice, 49)).then("conversation_read_only");
    given(done()).when(send(message1, giver, 60)).then("conversation_read_only");
  });

  it("a retried send of a message stored before the close is still a retry", () => {
    given([...done(), atHours(messageSent(message2, alice, "thanks!"), 48)]).when(send(message2, alice, 50)).then([]);
  });

  it("a cancelled conversation takes last words the same way", () => {
    given([...drawnAmongThree(), cancelled(1, 24)]).when(send(message1, alice, 2, "ok")).then([atHours(messageSent(message1, alice, "ok"), 2)]);
    given([...drawnAmongThree(), cancelled(1, 24)]).when(send(message1, alice, 25, "ok")).then("conversation_read_only");
  });
});

describe("SendPickupReminder", () => {
  const remind = (proposalId: string, nowHours = 23): GiveawayCommand => ({ type: "SendPickupReminder", proposalId, now: later(nowHours) });

  it("reminds once for the plan", () => {
    given(agreed()).when(remind(proposal1)).then([reminded(proposal1, 23)]);
    given([...agreed(), reminded(proposal1, 23)]).when(remind(proposal1, 23.5)).then([]);
  });

  it("does nothing for a proposal that is not the plan, before a plan, or once it is over", () => {
    given(agreed()).when(remind(proposal2)).then([]);
    given(drawnAmongThree()).when(remind(proposal1)).then([]);
    given([...agreed(), handedOver(25), received(alice, 25), completed(25, 24)]).when(remind(proposal1)).then([]);
    given([...agreed(), cancelled(2, 24)]).when(remind(proposal1)).then([]);
    given([]).when(remind(proposal1)).then([]);
  });
});
