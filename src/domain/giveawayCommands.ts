// What people ask of a giveaway itself: create it, enter, draw, send a message, mark it read. The
// decider (giveawayDecide.ts) takes these among the others; platformGiveaway.ts hands some back to it.
export interface CreateGiveaway {
  readonly type: "CreateGiveaway";
  readonly giveawayId: string;
  readonly giverId: string;
  readonly title: string;
  readonly description?: string;
  readonly now: Date;
}

export interface SubmitEntry {
  readonly type: "SubmitEntry";
  readonly userId: string;
  readonly now: Date;
  /** The users who have blocked the entrant (the blocks read model): the giver among them refuses the entry. */
  readonly blockedBy?: readonly string[] | undefined;
}

export interface ConductDraw {
  readonly type: "ConductDraw";
  readonly by: string;
  readonly now: Date;
  /** Returns an index in [0, entrantCount); the draw is uniform when this is. */
  readonly pick: (entrantCount: number) => number;
}

export interface SendMessage {
  readonly type: "SendMessage";
  /** Chosen by the client, so a retried send is recognised. */
  readonly messageId: string;
  readonly senderId: string;
  readonly content: string;
  readonly now: Date;
  /** A message of this conversation that this one quotes. */
  readonly replyTo?: string | undefined;
  /** Attachments the sender uploaded to this conversation. */
  readonly attachmentIds?: readonly string[] | undefined;
  /** The users who have blocked the sender (the blocks read model): the other participant among them refuses the send. */
  readonly blockedBy?: readonly string[] | undefined;
}

export interface MarkConversationRead {
  readonly type: "MarkConversationRead";
  readonly userId: string;
  /** The caller clamps it to the stream's current revision; taken as given here. */
  readonly upToRevision: number;
  readonly now: Date;
}
