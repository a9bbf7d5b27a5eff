// The conversation projection for a bulk build (bulkRebuild.ts): the same rows as
// conversationProjection.ts. A message with no attachments (nearly every event of a log) is
// buffered and written many to an INSERT (bulkWriters.ts); every other event first writes what is
// buffered, then goes through the projection's own apply, so rows and rowids are the same.
import type Database from "better-sqlite3";
import { multiRowInserter } from "./bulkWriters.ts";
import { conversationProjection, messageInsert, messageInsertColumns } from "./conversationProjection.ts";
import type { BulkApply } from "./inboxBulk.ts";
import type { ProjectedEvent } from "./projection.ts";

export function prepareConversationBulk(db: Database.Database): BulkApply {
  const live = conversationProjection.prepare(db);
  const messages = multiRowInserter(db, messageInsert, messageInsertColumns);
  const apply = (projected: ProjectedEvent) => {
    if (projected.stream !== "giveaway") return;
    const { event } = projected;
    if (event.type === "MessageSent" && (event.data.attachmentIds === undefined || event.data.attachmentIds.length === 0)) {
      const { messageId, senderId, content, sentAt, replyTo } = event.data;
      messages.push(projected.giveawayId, projected.recorded.revision, messageId, senderId, content, sentAt, replyTo ?? null, "[]");
      return;
    }
    if (event.type === "SystemMessagePosted") {
      const { messageId, content, postedAt } = event.data;
      messages.push(projected.giveawayId, projected.recorded.revision, messageId, null, content, postedAt, null, "[]");
      return;
    }
    switch (event.type) {
      case "MessageSent":
      case "ReactionAdded":
      case "ReactionRemoved":
      case "MessageEdited":
      case "MessageRetracted":
      case "MessageHidden":
        // Reads or changes messages (or inserts one after those buffered): they are written first.
        messages.flush();
        live(projected);
        return;
      default:
        live(projected);
    }
  };
  return Object.assign(apply, { endBatch: () => messages.flush(), finish: () => messages.flush() });
}
