// Runs a giveaway command for a request: a refusal becomes the API error, and the answer waits
// until the read models show the write (read-your-writes).
import type { Response } from "express";
import type { Handoff } from "../../app/handoff.ts";
import type { GiveawayCommand } from "../../domain/giveawayDecide.ts";
import type { GiveawayCommandResult } from "../../app/giveawayCommandHandler.ts";
import { ApiError } from "./apiErrors.ts";
import { commandContext } from "./requestContext.ts";

export type AcceptedCommand = Extract<GiveawayCommandResult, { ok: true }>;

export async function runGiveawayCommand(handoff: Handoff, res: Response, giveawayId: string, command: GiveawayCommand): Promise<AcceptedCommand> {
  const result = await handoff.commands(giveawayId, command, commandContext(res));
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  await waitUntilVisible(handoff, giveawayId, result.revision);
  return result;
}

export async function waitUntilVisible(handoff: Handoff, giveawayId: string, revision: bigint | number): Promise<void> {
  if (await handoff.readYourWrites.waitForGiveaway(giveawayId, revision)) return;
  throw new ApiError("read_model_lagging", "the change was saved but is not visible yet: read again in a moment");
}
