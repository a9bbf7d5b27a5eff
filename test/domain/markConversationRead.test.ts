import { describe, it } from "vitest";
import { given } from "./decider-spec.ts";
import { alice, bob, conversationRead, created, drawnWithAliceWinning, entered, giver, now, stranger } from "./fixtures.ts";

const markRead = (userId: string, upToRevision: number) =>
  ({ type: "MarkConversationRead", userId, upToRevision, now }) as const;

describe("MarkConversationRead", () => {
  it("records a first read mark for either participant, from revision 0", () => {
    given(drawnWithAliceWinning()).when(markRead(alice, 0)).then([conversationRead(alice, 0)]);
    given(drawnWithAliceWinning()).when(markRead(giver, 3)).then([conversationRead(giver, 3)]);
  });

  it("moves the mark forward", () => {
    given([...drawnWithAliceWinning(), conversationRead(alice, 3)]).when(markRead(alice, 7)).then([conversationRead(alice, 7)]);
  });

  it("changes nothing for a mark at or behind the last one", () => {
    const history = [...drawnWithAliceWinning(), conversationRead(alice, 3)];
    given(history).when(markRead(alice, 3)).then([]);
    given(history).when(markRead(alice, 2)).then([]);
  });

  it("keeps each participant's mark separate", () => {
    given([...drawnWithAliceWinning(), conversationRead(alice, 3)]).when(markRead(giver, 3)).then([conversationRead(giver, 3)]);
  });

  it("refuses a mark that is negative or not whole", () => {
    given(drawnWithAliceWinning()).when(markRead(alice, -1)).then("invalid_revision");
    given(drawnWithAliceWinning()).when(markRead(alice, 1.5)).then("invalid_revision");
    given(drawnWithAliceWinning()).when(markRead(alice, Number.NaN)).then("invalid_revision");
  });

  it("refuses when the giveaway does not exist", () => {
    given([]).when(markRead(alice, 0)).then("giveaway_not_found");
  });

  it("refuses the giver and entrants before the draw: the conversation is closed", () => {
    given([created(), entered(alice)]).when(markRead(giver, 0)).then("conversation_closed");
    given([created(), entered(alice)]).when(markRead(alice, 0)).then("conversation_closed");
  });

  it("refuses anyone but the giver and the winner", () => {
    given([created(), entered(alice)]).when(markRead(stranger, 0)).then("not_participant");
    given(drawnWithAliceWinning()).when(markRead(bob, 0)).then("not_participant");
    given(drawnWithAliceWinning()).when(markRead(stranger, 0)).then("not_participant");
  });
});
