import { describe, it } from "vitest";
import { given } from "./decider-spec.ts";
import { at, created, giveawayId, giver, now } from "./fixtures.ts";

const create = (title: string, description?: string) =>
  ({ type: "CreateGiveaway", giveawayId, giverId: giver, title, description, now }) as const;

describe("CreateGiveaway", () => {
  it("creates a giveaway with a trimmed title and an empty description by default", () => {
    given([]).when(create("  A bike  ")).then([created("A bike", "")]);
  });

  it("keeps the description, line breaks included", () => {
    given([]).when(create("A bike", "Blue.\nPick up only.")).then([created("A bike", "Blue.\nPick up only.")]);
  });

  it("accepts a 120-character title and a 2000-character description", () => {
    given([]).when(create("t".repeat(120), "d".repeat(2000))).then([
      { type: "GiveawayCreated", data: { giveawayId, giverId: giver, title: "t".repeat(120), description: "d".repeat(2000), createdAt: at } },
    ]);
  });

  it("refuses when the giveaway already exists", () => {
    given([created()]).when(create("Again")).then("giveaway_exists");
  });

  it("refuses a blank title", () => {
    given([]).when(create("   ")).then("invalid_title");
  });

  it("refuses a title over 120 characters", () => {
    given([]).when(create("t".repeat(121))).then("invalid_title");
  });

  it("refuses a description over 2000 characters", () => {
    given([]).when(create("A bike", "d".repeat(2001))).then("invalid_description");
  });
});
