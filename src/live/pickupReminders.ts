// Reminds both participants before an agreed pickup. Armed from the read models at start and
// from each applied batch, so a restart loses no reminder; the reminder itself is an event
// (PickupReminderSent), which the decider records once however many processes try.
import type { GiveawayCommand } from "../domain/giveawayDecide.ts";
import type { DomainErrorCode } from "../domain/errors.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import type { ProjectedEvent } from "../projections/projection.ts";
import type { PendingReminder } from "../projections/pickupProjection.ts";

const log = componentLogger("pickup-reminders");

/** setTimeout's longest delay; a later reminder is re-armed when this one wakes. */
const maxTimerMs = 2_147_483_647;

export interface PickupRemindersOptions {
  pendingReminders(): PendingReminder[];
  /** Runs the reminder's command (the application's command handler; live/ knows nothing more of it). */
  commands(giveawayId: string, command: GiveawayCommand, context: { actorId: string; correlationId: string; causationId: string }): Promise<{ ok: true } | { ok: false; error: { code: DomainErrorCode } }>;
  now(): Date;
  newId(): string;
  /** How long before the window starts. */
  leadMs: number;
}

export interface PickupReminders {
  /** Arms every pending reminder the read models hold (call once they have caught up). */
  armPending(): void;
  /** The projection runner's batches: new plans arm, ended ones disarm. */
  applied(events: readonly ProjectedEvent[]): void;
  /** Giveaway ids with an armed reminder (for tests and metrics). */
  armed(): string[];
  stop(): void;
}

export function createPickupReminders(options: PickupRemindersOptions): PickupReminders {
  const timers = new Map<string, { proposalId: string; timer: NodeJS.Timeout }>();
  let stopped = false;

  const disarm = (giveawayId: string) => {
    const armed = timers.get(giveawayId);
    if (armed) clearTimeout(armed.timer);
    timers.delete(giveawayId);
  };

  const send = async (reminder: PendingReminder) => {
    const requestId = options.newId();
    try {
      const result = await options.commands(
        reminder.giveawayId,
        { type: "SendPickupReminder", proposalId: reminder.proposalId, now: options.now() },
        { actorId: "system:pickup-reminders", correlationId: requestId, causationId: requestId },
      );
      if (!result.ok) log.warn({ giveawayId: reminder.giveawayId, code: result.error.code }, "pickup reminder refused");
    } catch (error) {
      log.error({ giveawayId: reminder.giveawayId, ...errorFields(error) }, "pickup reminder failed; retrying in a minute");
      if (!stopped) arm(reminder, 60_000);
    }
  };

  function arm(reminder: PendingReminder, delayOverride?: number) {
    disarm(reminder.giveawayId);
    if (stopped) return;
    // A pickup that has already begun (the process was down past it) needs no reminder.
    if (Date.parse(reminder.from) <= options.now().getTime()) return;
    const dueAt = Date.parse(reminder.from) - options.leadMs;
    const delay = delayOverride ?? Math.max(0, dueAt - options.now().getTime());
    const timer = setTimeout(() => {
      timers.delete(reminder.giveawayId);
      if (delayOverride === undefined && delay === maxTimerMs) return arm(reminder);
      void send(reminder);
    }, Math.min(delay, maxTimerMs));
    timer.unref();
    timers.set(reminder.giveawayId, { proposalId: reminder.proposalId, timer });
  }

  return {
    armPending() {
      for (const reminder of options.pendingReminders()) arm(reminder);
    },
    applied(events) {
      const touched = new Set<string>();
      for (const projected of events) {
        if (projected.stream !== "giveaway") continue;
        switch (projected.event.type) {
          case "PickupProposalAccepted":
          case "PickupReminderSent":
          case "WinnerRedrawn":
          case "GiveawayCompleted":
          case "GiveawayCancelled":
            touched.add(projected.giveawayId);
        }
      }
      if (touched.size === 0) return;
      const pending = new Map(options.pendingReminders().map((reminder) => [reminder.giveawayId, reminder]));
      for (const giveawayId of touched) {
        const reminder = pending.get(giveawayId);
        if (reminder) arm(reminder);
        else disarm(giveawayId);
      }
    },
    armed: () => [...timers.keys()],
    stop() {
      stopped = true;
      for (const giveawayId of [...timers.keys()]) disarm(giveawayId);
    },
  };
}
