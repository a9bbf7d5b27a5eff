// Reminds both participants before an agreed pickup: a stored wake-up at the window's start minus
// the lead time, keyed by giveaway (a newer plan replaces it; a reminder sent, a redraw, completion
// or cancellation removes it). The reminder itself is the command SendPickupReminder, whose event
// PickupReminderSent the decider records once however often (and by whichever process) it is asked,
// so a repeated wake-up is harmless. From the beginning of the log on its first start, so the plans
// made before this reactor existed are reminded too.
import type { GiveawayCommand } from "../domain/giveawayDecide.ts";
import type { DomainErrorCode } from "../domain/errors.ts";
import type { EventStore } from "../eventstore/port.ts";
import { proposalFromStore } from "./proposalLookup.ts";
import { componentLogger } from "../observability/logger.ts";
import type { DurableReactor } from "./reactor.ts";

const log = componentLogger("pickup-reminders");

export type ReminderCommands = (
  giveawayId: string,
  command: GiveawayCommand,
  context: { actorId: string; correlationId: string; causationId: string },
) => Promise<{ ok: true } | { ok: false; error: { code: DomainErrorCode } }>;

/** When an accepted proposal's window starts (ISO), from the giveaway's stream up to `beforeRevision`. */
export type ProposalStart = (giveawayId: string, proposalId: string, beforeRevision: bigint) => Promise<string | undefined>;

export interface PickupRemindersDeps {
  /** The application's command handler. */
  commands: ReminderCommands;
  proposalStart: ProposalStart;
  newId(): string;
  /** How long before the window starts. */
  leadMs: number;
}

export interface ReminderWakeUp {
  giveawayId: string;
  proposalId: string;
  from: string;
}

export const pickupRemindersName = "pickup-reminders";

export function pickupRemindersReactor(deps: PickupRemindersDeps): DurableReactor {
  return {
    name: pickupRemindersName,
    kind: "durable",
    firstStart: "beginning",
    canHandle: ["PickupProposalAccepted", "PickupReminderSent", "WinnerRedrawn", "GiveawayCompleted", "GiveawayCancelled"],
    async handle(batch, context) {
      for (const projected of batch) {
        if (projected.stream !== "giveaway") continue;
        const { giveawayId, event } = projected;
        if (event.type !== "PickupProposalAccepted") {
          context.cancel(giveawayId);
          continue;
        }
        const { proposalId } = event.data;
        const from = await deps.proposalStart(giveawayId, proposalId, projected.recorded.revision);
        if (from === undefined) {
          log.warn({ giveawayId, proposalId }, "accepted proposal not found in its stream: no reminder");
          context.cancel(giveawayId);
        } else if (Date.parse(from) <= context.now().getTime()) {
          // A pickup that has already begun (the log replayed after it) needs no reminder.
          context.cancel(giveawayId);
        } else {
          const reminder: ReminderWakeUp = { giveawayId, proposalId, from };
          context.schedule(giveawayId, new Date(Date.parse(from) - deps.leadMs), reminder);
        }
      }
    },
    async wake(wakeUp, context) {
      const reminder = wakeUp.payload as ReminderWakeUp;
      if (Date.parse(reminder.from) <= context.now().getTime()) return; // begun meanwhile (the process was down past it)
      const requestId = deps.newId();
      const result = await deps.commands(
        reminder.giveawayId,
        { type: "SendPickupReminder", proposalId: reminder.proposalId, now: context.now() },
        { actorId: "system:pickup-reminders", correlationId: requestId, causationId: requestId },
      );
      // A refusal is the decider's answer, not a failure: asking again would get the same one.
      if (!result.ok) log.warn({ giveawayId: reminder.giveawayId, code: result.error.code }, "pickup reminder refused");
    },
  };
}

/** ProposalStart over the store (proposalLookup.ts). */
export function proposalStartFromStore(store: EventStore): ProposalStart {
  const find = proposalFromStore(store);
  return async (giveawayId, proposalId, beforeRevision) => (await find(giveawayId, proposalId, beforeRevision))?.from;
}
