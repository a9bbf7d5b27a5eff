// A giveaway's state as the fold keeps it (giveaway.ts folds it; conversationEvolve.ts,
// moderationEvolve.ts and ratings.ts fold their parts). Types only, importing none of those folds,
// so each of them can name the whole state without an import cycle.
import type { MessageIndex } from "./messageIndex.ts";
import type { PickupState } from "./pickup.ts";

export interface NoGiveaway {
  readonly status: "none";
}

export interface OpenGiveaway {
  readonly status: "open";
  readonly giveawayId: string;
  readonly giverId: string;
  readonly title: string;
  /** Absent when empty: what the platform's edits compare against. */
  readonly description?: string;
  /** Unique, in entry order (the draw picks by index). */
  readonly entrants: readonly string[];
  /** Cancelled before the draw: entries and the draw are refused. */
  readonly cancelledAt?: string;
  /** The item's photos in the order added, the cover first (giveawayPhotos.ts). Absent until the first. */
  readonly photos?: readonly GiveawayPhotoRef[];
}

export interface DrawnGiveaway {
  readonly status: "drawn";
  readonly giveawayId: string;
  readonly giverId: string;
  readonly title: string;
  readonly description?: string;
  readonly entrants: readonly string[];
  readonly winnerId: string;
  readonly drawnAt: string;
  /** By message id: a retried send is recognised and not stored twice. */
  readonly messages: MessageIndex;
  /** Highest revision each participant has read up to. */
  readonly lastRead: Readonly<Record<string, number>>;
  /** Proposals, plan, handover, redraws. `winnerId` is always the current round's winner. */
  readonly pickup: PickupState;
  /** Reactions, edits, retractions, attachments, mutes: see conversationEvolve.ts. Absent until the first. */
  readonly chat?: ChatState;
  /** The newest rating each side gave after the handover (ratings.ts). Absent until the first. */
  readonly ratings?: GivenRatings;
  /** Reports and hidden messages: see moderationEvolve.ts. Absent until the first. */
  readonly moderation?: ModerationState;
  /** The item's photos, kept from before the draw (giveawayPhotos.ts). Absent until the first. */
  readonly photos?: readonly GiveawayPhotoRef[];
}

export type GiveawayState = NoGiveaway | OpenGiveaway | DrawnGiveaway;

/** Reactions, edits, retractions, attachments, mutes (conversationEvolve.ts folds them). */
export interface ChatState {
  /** Uploaded attachments by id: who uploaded each (only they may attach it) and its hash. */
  readonly attachments: ReadonlyMap<string, { readonly uploaderId: string; readonly sha256: string }>;
  /** Participants who muted the conversation. */
  readonly muted: ReadonlySet<string>;
  /** Standing reactions, as reactionKey(messageId, userId, emoji). */
  readonly reactions: ReadonlySet<string>;
  /** Removed messages' ids. */
  readonly retracted: ReadonlySet<string>;
  /** The digest of each edited message's newest text. */
  readonly edits: ReadonlyMap<string, string>;
}

/** One of the item's photos: its id and the bytes' hash (a retried upload is recognised by it). */
export interface GiveawayPhotoRef {
  readonly photoId: string;
  readonly sha256: string;
}

/** Reports and hidden messages (moderationEvolve.ts folds them). */
export interface ModerationState {
  /** Filed reports by id: whether each is still open. */
  readonly reports: ReadonlyMap<string, { readonly open: boolean }>;
  readonly hidden: ReadonlySet<string>;
}

/** The newest rating each rater gave in this giveaway, by rater id. */
export type GivenRatings = Readonly<Record<string, { readonly stars: number; readonly comment: string }>>;
