// When the giver may redraw a round's winner: at once if they declined the prize, else only if they
// stayed silent for the no-show time after the draw. The decider and the chat's menu read it alike.

export type RedrawWindow =
  /** Allowed now, and why. */
  | { readonly kind: "open"; readonly reason: "declined" | "no_show" }
  /** Not before this instant (if the winner stays silent until then). */
  | { readonly kind: "opens_at"; readonly at: Date }
  /** The winner has answered: only their declining the prize allows a redraw. */
  | { readonly kind: "after_decline_only" };

export interface RoundFacts {
  /** When the round's winner was drawn (the round's start). */
  readonly startedAt: string;
  readonly prizeDeclined: boolean;
  /** The winner did something in this round (a message, a proposal, an answer). */
  readonly winnerActive: boolean;
}

export function redrawWindow(round: RoundFacts, noShowAfterMs: number, now: Date): RedrawWindow {
  if (round.prizeDeclined) return { kind: "open", reason: "declined" };
  if (round.winnerActive) return { kind: "after_decline_only" };
  const noShowFrom = Date.parse(round.startedAt) + noShowAfterMs;
  return now.getTime() >= noShowFrom ? { kind: "open", reason: "no_show" } : { kind: "opens_at", at: new Date(noShowFrom) };
}
