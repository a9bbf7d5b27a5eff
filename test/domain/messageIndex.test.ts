import { describe, expect, it } from "vitest";
import { contentDigest, MessageIndex } from "../../src/domain/messageIndex.ts";

const message = (revision: number) => ({ senderId: "s", contentDigest: contentDigest(`m${revision}`), revision });

describe("MessageIndex", () => {
  it("each state sees only what was added to it, even when an older state is added to again", () => {
    const base = MessageIndex.empty().with("a", message(1));
    const tip = base.with("b", message(2));
    const branch = base.with("c", message(3));
    expect([base.has("a"), base.has("b"), base.has("c"), base.size]).toEqual([true, false, false, 1]);
    expect([tip.has("a"), tip.has("b"), tip.has("c"), tip.size]).toEqual([true, true, false, 2]);
    expect([branch.has("a"), branch.has("b"), branch.has("c"), branch.size]).toEqual([true, false, true, 2]);
    const reused = base.with("b", message(4));
    expect(reused.get("b")?.revision).toBe(4);
    expect(tip.get("b")?.revision).toBe(2);
  });

  it("digests tell equal texts from different ones", () => {
    expect(contentDigest("hello")).toBe(contentDigest("hello"));
    expect(contentDigest("hello")).not.toBe(contentDigest("hello!"));
  });
});
