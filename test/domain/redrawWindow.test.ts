// When a redraw becomes possible: the one rule the decider refuses by and the chat's menu shows.
import { describe, expect, it } from "vitest";
import { redrawWindow } from "../../src/domain/redrawWindow.ts";

const startedAt = "2026-03-01T10:00:00.000Z";
const noShowAfterMs = 48 * 3600_000;
const at = (iso: string) => new Date(iso);

describe("redrawWindow", () => {
  it("opens at once when the winner declined the prize, whatever they did before", () => {
    expect(redrawWindow({ startedAt, prizeDeclined: true, winnerActive: true }, noShowAfterMs, at(startedAt))).toEqual({ kind: "open", reason: "declined" });
  });

  it("opens the no-show time after the draw for a silent winner, and says when before then", () => {
    const silent = { startedAt, prizeDeclined: false, winnerActive: false };
    expect(redrawWindow(silent, noShowAfterMs, at("2026-03-03T09:59:59.999Z"))).toEqual({ kind: "opens_at", at: at("2026-03-03T10:00:00.000Z") });
    expect(redrawWindow(silent, noShowAfterMs, at("2026-03-03T10:00:00.000Z"))).toEqual({ kind: "open", reason: "no_show" });
  });

  it("stays closed for a winner who answered, until they decline", () => {
    expect(redrawWindow({ startedAt, prizeDeclined: false, winnerActive: true }, noShowAfterMs, at("2026-04-01T00:00:00.000Z"))).toEqual({ kind: "after_decline_only" });
  });
});
