// The audit's lines in plain words (auditStory.ts): told only from what the reader's lines hold.
import { describe, expect, it } from "vitest";
import type { AuditedLine } from "../../src/audit/conversationReplay.ts";
import { storyOf } from "../../src/http/audit/auditStory.ts";
import { readableTime } from "../../src/http/pages/readableTime.ts";

const names = new Map([["u-ann", "ann"], ["u-bob", "bob"]]);
let revision = 0;
const line = (whoId: string | undefined, detail: AuditedLine["detail"]): AuditedLine => ({
  revision: revision++,
  eventId: `e${revision}`,
  recordedAt: "2030-03-01T10:00:00.000Z",
  whoId,
  detail,
  round: undefined,
  readers: undefined,
});
const utc = (iso: string) => readableTime(iso, undefined, new Date("2030-03-01T12:00:00Z"));
const sentence = (told: { actor: string | undefined; did: string }) => [told.actor, told.did].filter(Boolean).join(" ");

describe("the history in plain words", () => {
  it("tells an edit with the text before it, and a removal with what it said when the reader may read it", () => {
    const stories = storyOf(
      [
        line("u-bob", { type: "MessageSent", messageId: "m1", content: "Saturday mornig?", sentAt: "2030-03-01T10:00:00.000Z" }),
        line("u-bob", { type: "MessageEdited", messageId: "m1", content: "Saturday morning?", editedAt: "2030-03-01T10:01:00.000Z" }),
        line("u-bob", { type: "MessageRetracted", messageId: "m1", retractedAt: "2030-03-01T10:02:00.000Z" }),
      ],
      names,
      utc,
    );
    expect(stories.map(sentence)).toEqual(["bob sent a message", "bob edited a message", "bob removed a message"]);
    expect(stories[1]!.before).toEqual({ label: "Before", text: "Saturday mornig?" });
    expect(stories[2]!.before).toEqual({ label: "It said", text: "Saturday morning?" });
  });

  it("keeps a withheld message withheld: no text before or after, a plain note instead", () => {
    const fate = { event: "MessageRetracted", at: "2030-03-01T10:02:00.000Z" } as const;
    const stories = storyOf(
      [
        line("u-ann", { type: "MessageSent", messageId: "m2", content: null, withheld: fate, sentAt: "2030-03-01T10:00:00.000Z" }),
        line("u-ann", { type: "MessageRetracted", messageId: "m2", retractedAt: fate.at }),
      ],
      names,
      utc,
    );
    expect(stories[0]!.note).toBe("This message was removed later, so its text is not shown.");
    expect(stories[1]!.before).toBeUndefined();
  });

  it("names a person withheld from the reader as someone else, and says when the giver chose another winner", () => {
    const stories = storyOf(
      [
        line(undefined, { type: "EntrySubmitted" }),
        line(undefined, { type: "Pickup", event: { type: "WinnerRedrawn", data: { winnerId: null, previousWinnerId: "u-bob", reason: "declined", redrawnAt: "2030-03-01T10:05:00.000Z" } } }),
      ],
      names,
      utc,
    );
    expect(stories.map(sentence)).toEqual(["Someone else entered the giveaway", "The giver chose another winner: someone else (bob declined the prize)"]);
  });

  it("gives a pickup's window with its end as a clock on the same day, in UTC when the zone is unknown", () => {
    const [proposed] = storyOf(
      [line("u-ann", { type: "Pickup", event: { type: "PickupProposed", data: { proposalId: "p1", proposedBy: "u-ann", from: "2030-03-09T09:00:00.000Z", to: "2030-03-09T10:00:00.000Z", place: "the station", note: "", proposedAt: "2030-03-01T10:00:00.000Z" } } })],
      names,
      utc,
    );
    expect(proposed!.pickup).toMatchObject({ from: { text: "Sat 9 Mar, 09:00 UTC" }, to: { text: "10:00 UTC" }, place: "the station" });
  });

  it("leaves read marks and uploads to the technical view", () => {
    const stories = storyOf([line("u-bob", { type: "ConversationRead", upToRevision: 3 })], names, utc);
    expect(stories[0]!.minor).toBe(true);
  });
});
