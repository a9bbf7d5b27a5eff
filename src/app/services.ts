// The narrow capabilities that route groups, pages, streams and the audit are given: parts of
// Handoff named once, so a module's declared needs read as a short list (issue 24). Each stays a
// Pick of Handoff, so "go to definition" is one hop from a use to the member it names.
import type { Handoff } from "./handoff.ts";

/** The clock. */
export type Clock = Pick<Handoff, "now">;
/** New ids: commands', messages', requests'. */
export type Ids = Pick<Handoff, "newId">;
/** The draw's randomness. */
export type Draws = Pick<Handoff, "pick">;
/** The read models' queries. */
export type Reads = Pick<Handoff, "queries">;
/** The giveaway command handler: every write to a giveaway's stream. */
export type Commands = Pick<Handoff, "commands">;
/** Waiting until the read models show a write just made. */
export type ReadYourWritesServices = Pick<Handoff, "readYourWrites">;
/** Rate limits and the open-stream cap. */
export type LimitsServices = Pick<Handoff, "limits">;
/** Session tokens: issued at sign-in, checked on every request. */
export type TokensServices = Pick<Handoff, "tokens">;
/** The live hub's feeds (conversations, users' notifications). */
export type LiveServices = Pick<Handoff, "hub">;
/** The configuration. */
export type Configured = Pick<Handoff, "config">;
