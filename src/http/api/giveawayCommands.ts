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

export async function runGiveawayCommand(handoff: Handoff, res: Response, giveawayId: string, command: GiveawayCommand): Promise<AcceptedCommand> {
  const result = await handoff.commands(giveawayId, command, commandContext(res));
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  res.setHeader(revisionHeader, String(result.revision));
  await waitUntilVisible(handoff, giveawayId, result.revision);
  return result;
}

export async function waitUntilVisible(handoff: Handoff, giveawayId: string, revision: bigint | number): Promise<void> {
  if (await handoff.readYourWrites.waitForGiveaway(giveawayId, revision)) return;
  throw new ApiError("read_model_lagging", "the change was saved but is not visible yet: read again in a moment");
}

const MinRevisionSchema = z.object({ minRevision: integerText(0).optional() });

/**
 * Read your writes on any process: a read or stream that names `?minRevision=` (a revision a
 * command answered with, maybe on another process) waits, bounded, until this process's read
 * models show it; past the bound the answer is read_model_lagging, never a stale read.
 */
export async function awaitMinRevision(handoff: Handoff, giveawayId: string, query: unknown): Promise<void> {
  const { minRevision } = parseInput(MinRevisionSchema, query);
  if (minRevision !== undefined) await waitUntilVisible(handoff, giveawayId, minRevision);
}
