// The event catalogue. Every event is checked when written and when read, so a bad write fails
// loudly and a corrupt read never reaches a fold. Schemas only grow: a new field is optional with
// a default, so events written before it still load.
import { z } from "zod";
import { assertNever } from "./errors.ts";
import { isPickupEventType, pickupEventSchemas, type PickupEvent, type PickupEventType } from "./pickupEvents.ts";
import { isChatEventType, parseChatEvent, chatEventTypes, type ChatEvent } from "./conversationEvents.ts";

const id = z.uuid();
const instant = z.iso.datetime();

// ---- Giveaway events: stream giveaway-<giveawayId> ----

export const GiveawayCreatedSchema = z.object({
  giveawayId: id,
  giverId: id,
  title: z.string().trim().min(1).max(120),
  /** Added after the first release: older events have none. */
  description: z.string().trim().max(2000).default(""),
  createdAt: instant,
});

export const EntrySubmittedSchema = z.object({
  userId: id,
  enteredAt: instant,
});

export const DrawConductedSchema = z.object({
  winnerId: id,
  drawnAt: instant,
});

export const MessageSentSchema = z.object({
  messageId: id,
  senderId: id,
  content: z.string().trim().min(1).max(2000),
  sentAt: instant,
  /** Added with replies: the message this one quotes. */
  replyTo: id.optional(),
  /** Added with attachments: AttachmentUploaded ids of this conversation. */
  attachmentIds: z.array(id).max(10).optional(),
});

export const ConversationReadSchema = z.object({
  userId: id,
  /** The stream revision the reader has seen up to (inclusive). */
  upToRevision: z.int().min(0),
  readAt: instant,
});

export type GiveawayCreated = z.output<typeof GiveawayCreatedSchema>;
export type EntrySubmitted = z.output<typeof EntrySubmittedSchema>;
export type DrawConducted = z.output<typeof DrawConductedSchema>;
export type MessageSent = z.output<typeof MessageSentSchema>;
export type ConversationRead = z.output<typeof ConversationReadSchema>;

export type GiveawayEvent =
  | { type: "GiveawayCreated"; data: GiveawayCreated }
  | { type: "EntrySubmitted"; data: EntrySubmitted }
  | { type: "DrawConducted"; data: DrawConducted }
  | { type: "MessageSent"; data: MessageSent }
  | { type: "ConversationRead"; data: ConversationRead }
  | PickupEvent
  | ChatEvent;

export type GiveawayEventType = GiveawayEvent["type"];

const giveawayEventTypes: ReadonlySet<string> = new Set<GiveawayEventType>([
  "GiveawayCreated",
  "EntrySubmitted",
  "DrawConducted",
  "MessageSent",
  "ConversationRead",
  ...(Object.keys(pickupEventSchemas) as PickupEventType[]),
  ...(chatEventTypes as ReadonlySet<GiveawayEventType>),
]);

export function isGiveawayEventType(type: string): type is GiveawayEventType {
  return giveawayEventTypes.has(type);
}

/** Throws on an unknown type or data that does not fit its schema. */
export function parseGiveawayEvent(type: string, data: unknown): GiveawayEvent {
  if (!isGiveawayEventType(type)) throw new Error(`unknown giveaway event type: ${type}`);
  if (isPickupEventType(type)) return { type, data: parseData(pickupEventSchemas[type], type, data) } as PickupEvent;
  if (isChatEventType(type)) return parseChatEvent(type, data);
  switch (type) {
    case "GiveawayCreated":
      return { type, data: parseData(GiveawayCreatedSchema, type, data) };
    case "EntrySubmitted":
      return { type, data: parseData(EntrySubmittedSchema, type, data) };
    case "DrawConducted":
      return { type, data: parseData(DrawConductedSchema, type, data) };
    case "MessageSent":
      return { type, data: parseData(MessageSentSchema, type, data) };
    case "ConversationRead":
      return { type, data: parseData(ConversationReadSchema, type, data) };
    default:
      return assertNever(type);
  }
}

// ---- User events: streams user-<userId> and username-<lower-case username> ----

// The username rule lives in the decider (users.ts), not here: a fact recorded under an older
// rule must still load if the rule ever tightens.
export const UserRegisteredSchema = z.object({
  userId: id,
  username: z.string().min(1),
  passwordHash: z.string().min(1),
  registeredAt: instant,
});

/** Appended with expected revision "no_stream": the store makes the name unique, ignoring case. */
export const UsernameReservedSchema = z.object({
  userId: id,
  username: z.string().min(1),
});

/**
 * In username-<name>, after a reservation whose registration never happened (a crash between the
 * two writes of an earlier version): the name is free again.
 */
export const UsernameReleasedSchema = z.object({
  userId: id,
  username: z.string().min(1),
  releasedAt: instant,
});

/** A stronger hash of the same password (made at sign-in when the cost went up). */
export const PasswordRehashedSchema = z.object({
  userId: id,
  passwordHash: z.string().min(1),
  rehashedAt: instant,
});

/** A sign-in: every token names its session, which ends at sign-out or at `expiresAt`. */
export const SessionStartedSchema = z.object({
  userId: id,
  sessionId: id,
  startedAt: instant,
  expiresAt: instant,
});

export const SessionEndedSchema = z.object({
  userId: id,
  sessionId: id,
  endedAt: instant,
});

/** "Sign out everywhere": every session the user started before `endedAt` has ended. */
export const AllSessionsEndedSchema = z.object({
  userId: id,
  endedAt: instant,
});

export type UserRegistered = z.output<typeof UserRegisteredSchema>;
export type UsernameReserved = z.output<typeof UsernameReservedSchema>;
export type UsernameReleased = z.output<typeof UsernameReleasedSchema>;
export type PasswordRehashed = z.output<typeof PasswordRehashedSchema>;
export type SessionStarted = z.output<typeof SessionStartedSchema>;
export type SessionEnded = z.output<typeof SessionEndedSchema>;
export type AllSessionsEnded = z.output<typeof AllSessionsEndedSchema>;

export type UserEvent =
  | { type: "UserRegistered"; data: UserRegistered }
  | { type: "UsernameReserved"; data: UsernameReserved }
  | { type: "UsernameReleased"; data: UsernameReleased }
  | { type: "PasswordRehashed"; data: PasswordRehashed }
  | { type: "SessionStarted"; data: SessionStarted }
  | { type: "SessionEnded"; data: SessionEnded }
  | { type: "AllSessionsEnded"; data: AllSessionsEnded };

export type UserEventType = UserEvent["type"];

const userEventTypes: ReadonlySet<string> = new Set<UserEventType>([
  "UserRegistered",
  "UsernameReserved",
  "UsernameReleased",
  "PasswordRehashed",
  "SessionStarted",
  "SessionEnded",
  "AllSessionsEnded",
]);

export function isUserEventType(type: string): type is UserEventType {
  return userEventTypes.has(type);
}

/** Throws on an unknown type or data that does not fit its schema. */
export function parseUserEvent(type: string, data: unknown): UserEvent {
  if (!isUserEventType(type)) throw new Error(`unknown user event type: ${type}`);
  switch (type) {
    case "UserRegistered":
      return { type, data: parseData(UserRegisteredSchema, type, data) };
    case "UsernameReserved":
      return { type, data: parseData(UsernameReservedSchema, type, data) };
    case "UsernameReleased":
      return { type, data: parseData(UsernameReleasedSchema, type, data) };
    case "PasswordRehashed":
      return { type, data: parseData(PasswordRehashedSchema, type, data) };
    case "SessionStarted":
      return { type, data: parseData(SessionStartedSchema, type, data) };
    case "SessionEnded":
      return { type, data: parseData(SessionEndedSchema, type, data) };
    case "AllSessionsEnded":
      return { type, data: parseData(AllSessionsEndedSchema, type, data) };
    default:
      return assertNever(type);
  }
}

function parseData<S extends z.ZodType>(schema: S, type: string, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new Error(`invalid ${type} event: ${z.prettifyError(result.error)}`);
  return result.data;
}
