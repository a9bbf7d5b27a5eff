// Runs a giveaway command for a request: a refusal becomes the API error, and the answer waits
// until the read models show the write (read-your-writes).
import type { Response } from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { GiveawayCommand } from "../../domain/giveawayDecide.ts";
import type { GiveawayCommandResult } from "../../app/giveawayCommandHandler.ts";
import { ApiError } from "./apiErrors.ts";
import { commandContext } from "./requestContext.ts";
import { integerText, parseInput } from "./requestInput.ts";

/** Every command's answer names the revision it wrote, so the caller can read it anywhere. */
export const revisionHeader = "Handoff-Revision";

export type AcceptedCommand = Extract<GiveawayCommandResult, { ok: true }>;

/** Whether the read models stand (or stopped), and waiting until they show a revision. */
export type ReadModelState = Pick<Handoff, "readYourWrites" | "runner" | "storedRevision" | "freshness">;
/** What running a command for a request needs: the command handler and the read models' state; nothing else. */
export type CommandServices = ReadModelState & Pick<Handoff, "commands">;

/**
 * While a read model the answer needs has stopped (npm run projections -- status), a write could
 * not be shown: refuse it at once, saying why, instead of storing it and timing out.
 */
export function refuseWhileStopped(handoff: Pick<Handoff, "runner">, projections: readonly string[], saved?: string): void {
  const fatal = handoff.runner.fatalError();
  const stopped = projections.map((name) => [name, handoff.runner.failureOf(name)] as const).find(([, failure]) => failure);
  if (!fatal && !stopped) return;
  const why = stopped ? `the ${stopped[0]} read model has stopped on an event it cannot apply` : "the read models have stopped";
  const outcome = saved ?? "nothing was saved; try again once an operator has resolved it";
  throw new ApiError("read_model_stopped", `${why}: ${outcome}`);
}

export async function runGiveawayCommand(handoff: CommandServices, res: Response, giveawayId: string, command: GiveawayCommand): Promise<AcceptedCommand> {
  refuseWhileStopped(handoff, command.type === "SendMessage" ? ["giveaways", "conversation"] : ["giveaways"]);
  const result = await handoff.commands(giveawayId, command, commandContext(res));
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  res.setHeader(revisionHeader, String(result.revision));
  await waitUntilVisible(handoff, giveawayId, result.revision);
  return result;
}

export async function waitUntilVisible(handoff: ReadModelState, giveawayId: string, revision: bigint | number): Promise<void> {
  if (await handoff.readYourWrites.waitForGiveaway(giveawayId, revision)) return;
  refuseWhileStopped(handoff, ["giveaways"], `the change was saved (revision ${revision}) but cannot be shown until an operator has resolved it`);
  throw new ApiError("read_model_lagging", "the change was saved but is not visible yet: read again in a moment");
}

const MinRevisionSchema = z.object({ minRevision: integerText(0).optional() });

/**
 * Read your writes on any process: a read or stream that names `?minRevision=` (a revision a
 * command answered with, maybe on another process) waits, bounded, until this process's read
 * models show it; past the bound the answer is read_model_lagging, never a stale read. A revision
 * the store has never had is the client's mistake, not a lag: 409 revision_ahead at once.
 */
export async function awaitMinRevision(handoff: ReadModelState, giveawayId: string, query: unknown): Promise<void> {
  const { minRevision } = parseInput(MinRevisionSchema, query);
  if (minRevision === undefined || handoff.readYourWrites.appliedRevision(giveawayId) >= minRevision) return;
  const stored = await handoff.storedRevision(giveawayId);
  if (stored < 0) return; // no such giveaway: the route answers that
  if (stored < minRevision) throw new ApiError("revision_ahead", `minRevision ${minRevision} is beyond the giveaway's newest revision (${stored})`);
  await waitUntilVisible(handoff, giveawayId, minRevision);
}
