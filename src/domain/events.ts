// The event catalogue. Every event is checked when written and when read, so a bad write fails
// loudly and a corrupt read never reaches a fold. Schemas only grow: a new field is optional with
// a default, so events written before it still load.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";
import { pickupEventSchemas } from "./pickupEvents.ts";
import { chatEvents } from "./conversationEvents.ts";
import { platformGiveawayEvents } from "./platformGiveawayEvents.ts";
import { blockEvents } from "./blocksEvents.ts";
import { reportEvents } from "./reportsEvents.ts";
import { ratingEvents } from "./ratingsEvents.ts";
import { moderationGiveawayEvents, moderationUserEvents } from "./moderationEvents.ts";
import { notificationSettingsEvents } from "./notificationSettings.ts";
import { pushSubscriptionEvents } from "./pushSubscriptions.ts";
import { giveawayPhotoEvents } from "./giveawayPhotosEvents.ts";
import { avatarEvents } from "./avatarEvents.ts";
import { emailEvents } from "./emailEvents.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

// ---- Giveaway events: stream giveaway-<giveawayId> ----

export const GiveawayCreatedSchema = z.object({
  giveawayId: id,
  giverId: id,
  title: z.string().trim().min(1).max(120),
  /** Added after the first release: older events have none. */
  description: z.string().trim().max(2000).default(""),
  createdAt: instant,
  /** Added with the platform's API: the platform's own id of a giveaway it pushed in (platformIds.ts). */
  platformId: z.string().min(1).max(64).optional(),
});

export const EntrySubmittedSchema = z.object({
  userId: id,
  enteredAt: instant,
});

export const DrawConductedSchema = z.object({
  winnerId: id,
  drawnAt: instant,
  /** Added with the platform's API: the platform ran the draw and chose the winner; absent, handoff drew. */
  decidedBy: z.literal("platform").optional(),
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

/** A notice the platform's backend posts into a drawn giveaway's conversation: it has no sender. */
export const SystemMessagePostedSchema = z.object({
  messageId: id,
  content: z.string().trim().min(1).max(2000),
  postedAt: instant,
});

export type GiveawayCreated = z.output<typeof GiveawayCreatedSchema>;
export type EntrySubmitted = z.output<typeof EntrySubmittedSchema>;
export type DrawConducted = z.output<typeof DrawConductedSchema>;
export type MessageSent = z.output<typeof MessageSentSchema>;
export type ConversationRead = z.output<typeof ConversationReadSchema>;
export type SystemMessagePosted = z.output<typeof SystemMessagePostedSchema>;

/** The giveaway stream's registration table: its own facts, the pickup's and the conversation's. */
export const giveawayEvents = eventFamily("giveaway", {
  GiveawayCreated: GiveawayCreatedSchema,
  EntrySubmitted: EntrySubmittedSchema,
  DrawConducted: DrawConductedSchema,
  MessageSent: MessageSentSchema,
  ConversationRead: ConversationReadSchema,
  SystemMessagePosted: SystemMessagePostedSchema,
  ...pickupEventSchemas,
  ...chatEvents.schemas,
  ...platformGiveawayEvents.schemas,
  ...reportEvents.schemas,
  ...ratingEvents.schemas,
  ...moderationGiveawayEvents.schemas,
  ...giveawayPhotoEvents.schemas,
});

export type GiveawayEvent = EventsOf<typeof giveawayEvents.schemas>;
export type GiveawayEventType = GiveawayEvent["type"];
export const isGiveawayEventType = giveawayEvents.has;
/** Throws on an unknown type or data that does not fit its schema. */
export const parseGiveawayEvent = giveawayEvents.parse;

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

/** A platform user named for the first time (by a token, or by the platform's backend): their name is the `sub` until a token gives one. */
export const PlatformUserLinkedSchema = z.object({
  userId: id,
  sub: z.string().min(1),
  linkedAt: instant,
});

/** A platform user's profile from a token's claims: the first one, and each that differs from the last. */
export const PlatformProfileRecordedSchema = z.object({
  userId: id,
  sub: z.string().min(1),
  name: z.string().min(1),
  picture: z.string().optional(),
  email: z.string().optional(),
  roles: z.array(z.string()).default([]),
  recordedAt: instant,
});

/**
 * A one-time platform token (a /sso or /embed link) was used. Alone in platformtoken-<jtiDigest>,
 * appended with "no_stream", so the store refuses a second use on every process. The jti's SHA-256,
 * not the jti: the log never holds anything a link could be rebuilt from.
 */
export const PlatformTokenUsedSchema = z.object({
  jtiDigest: z.string().regex(/^[0-9a-f]{64}$/),
  userId: id,
  usedAt: instant,
});

export type UserRegistered = z.output<typeof UserRegisteredSchema>;
export type UsernameReserved = z.output<typeof UsernameReservedSchema>;
export type UsernameReleased = z.output<typeof UsernameReleasedSchema>;
export type PasswordRehashed = z.output<typeof PasswordRehashedSchema>;
export type SessionStarted = z.output<typeof SessionStartedSchema>;
export type SessionEnded = z.output<typeof SessionEndedSchema>;
export type AllSessionsEnded = z.output<typeof AllSessionsEndedSchema>;
export type PlatformUserLinked = z.output<typeof PlatformUserLinkedSchema>;
export type PlatformProfileRecorded = z.output<typeof PlatformProfileRecordedSchema>;
export type PlatformTokenUsed = z.output<typeof PlatformTokenUsedSchema>;

/** The user and username streams' registration table. */
export const userEvents = eventFamily("user", {
  UserRegistered: UserRegisteredSchema,
  UsernameReserved: UsernameReservedSchema,
  UsernameReleased: UsernameReleasedSchema,
  PasswordRehashed: PasswordRehashedSchema,
  SessionStarted: SessionStartedSchema,
  SessionEnded: SessionEndedSchema,
  AllSessionsEnded: AllSessionsEndedSchema,
  PlatformUserLinked: PlatformUserLinkedSchema,
  PlatformProfileRecorded: PlatformProfileRecordedSchema,
  PlatformTokenUsed: PlatformTokenUsedSchema,
  ...blockEvents.schemas,
  ...moderationUserEvents.schemas,
  ...avatarEvents.schemas,
  ...notificationSettingsEvents.schemas,
  ...pushSubscriptionEvents.schemas,
  ...emailEvents.schemas,
});

export type UserEvent = EventsOf<typeof userEvents.schemas>;
export type UserEventType = UserEvent["type"];
export const isUserEventType = userEvents.has;
/** Throws on an unknown type or data that does not fit its schema. */
export const parseUserEvent = userEvents.parse;
