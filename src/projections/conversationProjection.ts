// A conversation: the messages of one giveaway in stream order, with sender names, and what
// happened to each since (edits, retraction, reactions, attachments, the message it quotes).
import type Database from "better-sqlite3";
import { reactionEmoji } from "../domain/conversationEvents.ts";
import type { MessageSent } from "../domain/events.ts";
import type { Projection } from "./projection.ts";

/** A message's INSERT (live, and many to a statement in a bulk build: conversationBulk.ts). */
export const messageInsert = "INSERT OR IGNORE INTO messages";
export const messageInsertColumns = ["giveaway_id", "revision", "id", "sender_id", "content", "sent_at", "reply_to", "attachments"] as const;

export const conversationProjection = {
  name: "conversation",
  streams: ["giveaway"],
  schema: `
    CREATE TABLE IF NOT EXISTS messages (
      -- sender_id is null for a system message (SystemMessagePosted): nobody sent it.
      giveaway_id TEXT NOT NULL, revision INTEGER NOT NULL, id TEXT NOT NULL, sender_id TEXT,
      content TEXT NOT NULL, sent_at TEXT NOT NULL, reply_to TEXT, attachments TEXT NOT NULL DEFAULT '[]',
      reactions TEXT NOT NULL DEFAULT '{}', edited_at TEXT, retracted_at TEXT,
      -- set by MessageHidden (a moderator): the text is gone from here, kept in the log for the audit
      hidden_at TEXT, PRIMARY KEY (giveaway_id, revision));
    CREATE INDEX IF NOT EXISTS messages_by_id ON messages (giveaway_id, id);
    CREATE TABLE IF NOT EXISTS reactions (
      giveaway_id TEXT NOT NULL, message_id TEXT NOT NULL, user_id TEXT NOT NULL, emoji TEXT NOT NULL,
      PRIMARY KEY (giveaway_id, message_id, user_id, emoji));
    CREATE TABLE IF NOT EXISTS attachments (
      giveaway_id TEXT NOT NULL, id TEXT NOT NULL, uploader_id TEXT NOT NULL, sha256 TEXT NOT NULL,
      content_type TEXT NOT NULL, size INTEGER NOT NULL, uploaded_at TEXT NOT NULL,
      -- The upload's revision: its round decides who may fetch it (as a message's does).
      revision INTEGER NOT NULL,
      -- 1 once the message carrying it was removed: no longer served.
      withdrawn INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (giveaway_id, id));`,
  prepare(db) {
    const insert = db.prepare(`${messageInsert} (${messageInsertColumns.join(", ")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const attachment = db.prepare<[string, string], UploadFacts>(uploadFactsSql);
    const upload = db.prepare(
      "INSERT OR IGNORE INTO attachments (giveaway_id, id, uploader_id, sha256, content_type, size, uploaded_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const react = db.prepare("INSERT OR IGNORE INTO reactions (giveaway_id, message_id, user_id, emoji) VALUES (?, ?, ?, ?)");
    const unreact = db.prepare("DELETE FROM reactions WHERE giveaway_id = ? AND message_id = ? AND user_id = ? AND emoji = ?");
    const reactionsOf = db.prepare<[string, string], { emoji: string; userId: string }>(
      "SELECT emoji, user_id AS userId FROM reactions WHERE giveaway_id = ? AND message_id = ? ORDER BY rowid",
    );
    const setReactions = db.prepare("UPDATE messages SET reactions = ? WHERE giveaway_id = ? AND id = ?");
    const edit = db.prepare("UPDATE messages SET content = ?, edited_at = ? WHERE giveaway_id = ? AND id = ? AND retracted_at IS NULL AND hidden_at IS NULL");
    // A removed message keeps no text, quote target or files here: only the audit replay shows what it was.
    const carried = db.prepare<[string, string], { attachments: string }>("SELECT attachments FROM messages WHERE giveaway_id = ? AND id = ? AND retracted_at IS NULL");
    const withdraw = db.prepare("UPDATE attachments SET withdrawn = ? WHERE giveaway_id = ? AND id = ?");
    const retract = db.prepare(
      "UPDATE messages SET content = '', attachments = '[]', retracted_at = ? WHERE giveaway_id = ? AND id = ? AND retracted_at IS NULL",
    );
    const hide = db.prepare("UPDATE messages SET content = '', attachments = '[]', hidden_at = ? WHERE giveaway_id = ? AND id = ? AND hidden_at IS NULL");
    return (projected) => {
      if (projected.stream !== "giveaway") return;
      const { giveawayId, event, recorded } = projected;
      switch (event.type) {
        case "MessageSent": {
          // The row keeps no name: the users table joins it.
          const sent = sentMessageView(giveawayId, recorded.revision, event.data, null, (id) => attachment.get(giveawayId, id));
          insert.run(giveawayId, recorded.revision, sent.id, sent.senderId, sent.content, sent.sentAt, sent.replyTo, JSON.stringify(sent.attachments));
          for (const ref of sent.attachments) withdraw.run(0, giveawayId, ref.id); // attached again after a removal: shown again
          return;
        }
        case "SystemMessagePosted": {
          const { messageId, content, postedAt } = event.data;
          insert.run(giveawayId, recorded.revision, messageId, null, content, postedAt, null, "[]");
          return;
        }
        case "AttachmentUploaded": {
          const { attachmentId, uploaderId, sha256, contentType, size, uploadedAt } = event.data;
          upload.run(giveawayId, attachmentId, uploaderId, sha256, contentType, size, uploadedAt, recorded.revision);
          return;
        }
        case "ReactionAdded":
        case "ReactionRemoved": {
          const { messageId, userId, emoji } = event.data;
          (event.type === "ReactionAdded" ? react : unreact).run(giveawayId, messageId, userId, emoji);
          setReactions.run(JSON.stringify(reactionSummary(reactionsOf.all(giveawayId, messageId))), giveawayId, messageId);
          return;
        }
        case "MessageEdited":
          edit.run(event.data.content, event.data.editedAt, giveawayId, event.data.messageId);
          return;
        case "MessageRetracted":
          for (const ref of JSON.parse(carried.get(giveawayId, event.data.messageId)?.attachments ?? "[]") as AttachmentRef[]) {
            withdraw.run(1, giveawayId, ref.id);
          }
          retract.run(event.data.retractedAt, giveawayId, event.data.messageId);
          return;
        case "MessageHidden":
          for (const ref of JSON.parse(carried.get(giveawayId, event.data.messageId)?.attachments ?? "[]") as AttachmentRef[]) {
            withdraw.run(1, giveawayId, ref.id);
          }
          hide.run(event.data.hiddenAt, giveawayId, event.data.messageId);
          return;
        default:
          return;
      }
    };
  },
  queries: conversationQueries,
} satisfies Projection;

/** Reactions by emoji (in the set's order), each with its users in the order they reacted. */
export function reactionSummary(reactions: Iterable<{ emoji: string; userId: string }>): Record<string, string[]> {
  const byEmoji = new Map<string, string[]>();
  for (const { emoji, userId } of reactions) byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), userId]);
  const order = (emoji: string) => (reactionEmoji as readonly string[]).indexOf(emoji);
  return Object.fromEntries([...byEmoji].sort(([a], [b]) => order(a) - order(b)));
}

export interface AttachmentRef {
  id: string;
  contentType: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
}

/** A message as every way in shows it (API, pages, streams, audit replay). */
export interface MessageView {
  id: string;
  giveawayId: string;
  /** null for a system message (kind "system"): the platform posted it, no user sent it. */
  senderId: string | null;
  senderName: string | null;
  kind: MessageKind;
  /** The newest version; "" once retracted; null once hidden by a moderator. */
  content: string | null;
  sentAt: string;
  revision: number;
  /** The message this one quotes. */
  replyTo: string | null;
  attachments: AttachmentRef[];
  /** Emoji to the users who reacted with it. */
  reactions: Record<string, string[]>;
  editedAt: string | null;
  retractedAt: string | null;
  /** A moderator hid it (MessageHidden): shown as "removed by a moderator"; content is null. */
  hiddenByModerator: boolean;
}

/** "user": a participant sent it; "system": the platform's backend posted it (no sender). */
export type MessageKind = "user" | "system";

interface MessageRow extends Omit<MessageView, "attachments" | "reactions" | "hiddenByModerator" | "content"> {
  content: string;
  attachments: string;
  reactions: string;
  hiddenAt: string | null;
}

/** A sender's name, with the message's row as m and the users table as u. */
const senderNameColumn = "CASE WHEN m.sender_id IS NULL THEN NULL ELSE coalesce(u.username, '?') END AS senderName";

export const messageColumns = `m.id, m.giveaway_id AS giveawayId, m.sender_id AS senderId,
         ${senderNameColumn},
         CASE WHEN m.sender_id IS NULL THEN 'system' ELSE 'user' END AS kind,
         m.content, m.sent_at AS sentAt, m.revision, m.reply_to AS replyTo, m.attachments, m.reactions,
         m.edited_at AS editedAt, m.retracted_at AS retractedAt, m.hidden_at AS hiddenAt`;

const selectMessage = `SELECT ${messageColumns} FROM messages m LEFT JOIN users u ON u.id = m.sender_id`;

/** The message's own fields only: a row joined with other tables (the timeline's) carries more. */
export function toMessageView(row: MessageRow): MessageView {
  const { id, giveawayId, senderId, senderName, kind, sentAt, revision, replyTo, editedAt, retractedAt } = row;
  const attachments = JSON.parse(row.attachments) as AttachmentRef[];
  const reactions = JSON.parse(row.reactions) as Record<string, string[]>;
  const hiddenByModerator = row.hiddenAt !== null && row.hiddenAt !== undefined;
  const content = hiddenByModerator ? null : row.content;
  return { id, giveawayId, senderId, senderName, kind, content, sentAt, revision, replyTo, attachments, reactions, editedAt, retractedAt, hiddenByModerator };
}

/** What a message shows of an upload it carries, whether or not it was withdrawn since (attached again: shown again). */
type UploadFacts = Omit<AttachmentRef, "id">;
const uploadFactsSql = "SELECT content_type AS contentType, size, sha256 FROM attachments WHERE giveaway_id = ? AND id = ?";

/**
 * A message as its MessageSent makes it, before anything else happens to it: the row the projection
 * writes and the answer to the send are both this, one rule. An id with no known upload is left out.
 */
export function sentMessageView(
  giveawayId: string,
  revision: bigint | number,
  data: MessageSent,
  senderName: string | null,
  uploadOf: (id: string) => UploadFacts | undefined,
): MessageView {
  const attachments = (data.attachmentIds ?? []).flatMap((id) => {
    const found = uploadOf(id);
    return found ? [{ id, ...found }] : [];
  });
  return {
    id: data.messageId,
    giveawayId,
    senderId: data.senderId,
    senderName,
    kind: "user",
    content: data.content,
    sentAt: data.sentAt,
    revision: Number(revision),
    replyTo: data.replyTo ?? null,
    attachments,
    reactions: {},
    editedAt: null,
    retractedAt: null,
    hiddenByModerator: false,
  };
}

export interface AttachmentView extends AttachmentRef {
  giveawayId: string;
  uploaderId: string;
  uploadedAt: string;
  /** The upload's revision in the giveaway's stream. */
  revision: number;
}

export function conversationQueries(db: Database.Database) {
  const after = db.prepare<[string, number, number], MessageRow>(`${selectMessage} WHERE m.giveaway_id = ? AND m.revision > ? ORDER BY m.revision LIMIT ?`);
  const before = db.prepare<[string, number, number], MessageRow>(
    `SELECT * FROM (${selectMessage} WHERE m.giveaway_id = ? AND m.revision < ? ORDER BY m.revision DESC LIMIT ?) ORDER BY revision`,
  );
  const byId = db.prepare<[string, string], MessageRow>(`${selectMessage} WHERE m.giveaway_id = ? AND m.id = ?`);
  const atRevision = db.prepare<[string, number], MessageRow>(`${selectMessage} WHERE m.giveaway_id = ? AND m.revision = ?`);
  const attachmentById = db.prepare<[string, string], AttachmentView>(
    `SELECT id, giveaway_id AS giveawayId, uploader_id AS uploaderId, sha256, content_type AS contentType, size, uploaded_at AS uploadedAt, revision
     FROM attachments WHERE giveaway_id = ? AND id = ? AND withdrawn = 0`,
  );
  // Whether the row of a revision is here yet, and its sender's name: nothing else of it is read.
  const shownSender = db.prepare<[string, number], { senderName: string | null }>(
    `SELECT ${senderNameColumn} FROM messages m LEFT JOIN users u ON u.id = m.sender_id WHERE m.giveaway_id = ? AND m.revision = ?`,
  );
  const uploadFacts = db.prepare<[string, string], UploadFacts>(uploadFactsSql);
  const view = (row: MessageRow | undefined) => (row ? toMessageView(row) : undefined);
  return {
    /** Messages with a revision greater than `afterRevision` (-1: from the start), oldest first. */
    messagesAfter: (giveawayId: string, afterRevision: number, limit = 1000): MessageView[] => after.all(giveawayId, afterRevision, limit).map(toMessageView),
    /** The newest `limit` messages with a revision below `beforeRevision`, oldest first. */
    messagesBefore: (giveawayId: string, beforeRevision: number, limit = 100): MessageView[] =>
      before.all(giveawayId, beforeRevision, limit).map(toMessageView),
    /** The newest `limit` messages, oldest first. */
    latestMessages: (giveawayId: string, limit = 200): MessageView[] => before.all(giveawayId, Number.MAX_SAFE_INTEGER, limit).map(toMessageView),
    messageById: (giveawayId: string, id: string): MessageView | undefined => view(byId.get(giveawayId, id)),
    messageAtRevision: (giveawayId: string, revision: number): MessageView | undefined => view(atRevision.get(giveawayId, revision)),
    /**
     * The message a MessageSent at `revision` made, from the event, once this read model shows it
     * (else undefined): a send's answer, without reading its body back.
     */
    messageAsSent: (giveawayId: string, revision: bigint, data: MessageSent): MessageView | undefined => {
      const shown = shownSender.get(giveawayId, Number(revision));
      return shown && sentMessageView(giveawayId, revision, data, shown.senderName, (id) => uploadFacts.get(giveawayId, id));
    },
    /** An attachment of this conversation, unless the message carrying it was removed. */
    attachmentById: (giveawayId: string, id: string): AttachmentView | undefined => attachmentById.get(giveawayId, id),
  };
}
