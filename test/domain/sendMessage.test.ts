import { describe, it } from "vitest";
import { given } from "./decider-spec.ts";
import {
  alice,
  bob,
  created,
  drawnWithAliceWinning,
  entered,
  giver,
  message1,
  message2,
  messageSent,
  now,
  stranger,
} from "./fixtures.ts";

const send = (senderId: string, content: string, messageId = message1) =>
  ({ type: "SendMessage", messageId, senderId, content, now }) as const;

describe("SendMessage", () => {
  it("lets the giver and the winner talk after the draw", () => {
    given(drawnWithAliceWinning()).when(send(giver, "Congrats!")).then([messageSent(message1, giver, "Congrats!")]);
    given(drawnWithAliceWinning()).when(send(alice, "Thanks!")).then([messageSent(message1, alice, "Thanks!")]);
  });

  it("trims the ends but keeps line breaks inside", () => {
    given(drawnWithAliceWinning())
      .when(send(alice, "  \nWhen?\n\nTomorrow works.\r\n  "))
      .then([messageSent(message1, alice, "When?\n\nTomorrow works.")]);
  });

  it("accepts 2000 characters", () => {
    given(drawnWithAliceWinning()).when(send(alice, "x".repeat(2000))).then([messageSent(message1, alice, "x".repeat(2000))]);
  });

  it("treats the same message sent again as a retry", () => {
    given([...drawnWithAliceWinning(), messageSent(message1, alice, "Thanks!")]).when(send(alice, " Thanks! ")).then([]);
  });

  it("refuses another message under an id already used", () => {
    const history = [...drawnWithAliceWinning(), messageSent(message1, alice, "Thanks!")];
    given(history).when(send(alice, "Something else")).then("message_id_conflict");
    given(history).when(send(giver, "Thanks!")).then("message_id_conflict");
    given(history).when(send(giver, "Hi", message2)).then([messageSent(message2, giver, "Hi")]);
  });

  it("refuses when the giveaway does not exist", () => {
    given([]).when(send(giver, "Hi")).then("giveaway_not_found");
  });

  it("refuses the giver and entrants before the draw: the conversation is closed", () => {
    given([created(), entered(alice)]).when(send(giver, "Hi")).then("conversation_closed");
    given([created(), entered(alice)]).when(send(alice, "Hi")).then("conversation_closed");
  });

  it("refuses strangers before the draw", () => {
    given([created(), entered(alice)]).when(send(stranger, "Hi")).then("not_participant");
  });

  it("refuses losing entrants and strangers after the draw", () => {
    given(drawnWithAliceWinning()).when(send(bob, "Hi")).then("not_participant");
    given(drawnWithAliceWinning()).when(send(stranger, "Hi")).then("not_participant");
  });

  it("refuses blank and over-long content", () => {
    given(drawnWithAliceWinning()).when(send(alice, "")).then("invalid_content");
    given(drawnWithAliceWinning()).when(send(alice, " \n\t ")).then("invalid_content");
    given(drawnWithAliceWinning()).when(send(alice, "x".repeat(2001))).then("invalid_content");
  });
});
