// given(history).when(command).then(expected events | refusal code): the decider's contract, read aloud.
import { expect } from "vitest";
import type { DomainErrorCode } from "../../src/domain/errors.ts";
import { parseGiveawayEvent } from "../../src/domain/events.ts";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import { decide } from "../../src/domain/giveawayDecide.ts";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";

export function given(history: GiveawayEvent[]) {
  return {
    when(command: GiveawayCommand) {
      const state = foldGiveaway(history.map((event, revision) => ({ event, revision })));
      const decision = decide(command, state, history.length - 1);
      return {
        then(expected: GiveawayEvent[] | DomainErrorCode): void {
          if (typeof expected === "string") {
            expect(decision).toMatchObject({ ok: false, error: { code: expected } });
            return;
          }
          expect(decision).toEqual({ ok: true, events: expected });
          // Whatever decide emits must survive the trip through the store.
          if (decision.ok) {
            for (const event of decision.events) {
              const stored: unknown = JSON.parse(JSON.stringify(event.data));
              expect(parseGiveawayEvent(event.type, stored)).toEqual(event);
            }
          }
        },
      };
    },
  };
}
