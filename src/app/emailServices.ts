// E-mail, put together (docs/notifications.md, "E-mail"): the users' addresses (their streams), the
// signed tokens mails carry, the two durable reactors (digests, verification) when SMTP_URL is set,
// and the reply listener when SMTP_INBOUND_PORT is. Sending happens only in the reactors.
import type { AddressInfo } from "node:net";
import type Database from "better-sqlite3";
import { v5 as uuidV5 } from "uuid";
import { checkAttachmentType } from "../attachments/attachmentTypes.ts";
import type { BlobStore } from "../attachments/blobStore.ts";
import type { Config } from "../config.ts";
import { contentMaxLength } from "../domain/giveawayLimits.ts";
import type { EventStore } from "../eventstore/port.ts";
import { createEmailAddressBook, type EmailAddressBook } from "../mail/emailAddressBook.ts";
import type { InboundMailServer, InboundReply, ReplyOutcome } from "../mail/inboundMail.ts";
import { composeDigest, composeVerification } from "../mail/mailComposer.ts";
import { createMailTokens } from "../mail/mailTokens.ts";
import { smtpTransport } from "../mail/mailTransport.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { countMailsWaitingWith } from "../observability/metrics.ts";
import type { ReadModelQueries } from "./declaredParts.ts";
import { emailDigestReactor, emailDigestsName, type DigestConversationView } from "../reactors/emailDigestReactor.ts";
import { emailVerificationReactor } from "../reactors/emailVerificationReactor.ts";
import type { DurableReactor } from "../reactors/reactor.ts";
import { openReactorState, reactorStateFile, readReactorStates } from "../reactors/reactorState.ts";
import { readerAccess, visibleTo } from "./conversationAccessQuery.ts";
import type { AbuseLimits } from "./abuseLimits.ts";
import type { GiveawayCommandHandler } from "./giveawayCommandHandler.ts";
import type { NotificationPreferences } from "./notificationPreferences.ts";
import { resolveJwtSecret } from "./jwtSecret.ts";

const log = componentLogger("email");

/** Reply messages' and their attachments' ids: a UUID v5 of the mail's Message-ID, so a mail delivered twice is stored once. */
const replyNamespace = "6f1d2c3b-8a4e-5f60-9b7a-0c1d2e3f4a5b";
/** The most unread messages one digest lists (the chat has the rest). */
const digestMessagesMax = 50;

export interface Email {
  addresses: EmailAddressBook;
  /** SMTP_URL is set: verification mails and digests go out. */
  sending: boolean;
  /** The reactors' parts: the digests and the verification mails, when sending (declaredParts.ts). */
  reactors: DurableReactor[];
  /** The one-click unsubscribe: e-mail off in the notification settings of the token's user; false: not a valid link. */
  unsubscribe(token: string, correlationId: string): Promise<boolean>;
  /** Whether a mailed link's token is good now (the GET pages offer their button only then). */
  linkIsValid(token: string, purpose: "verify" | "unsubscribe"): boolean;
  /** Where the reply listener listens, once it does (undefined: replies by e-mail are off, or it could not listen). */
  inboundAddress: Promise<AddressInfo | undefined>;
  /** After the log is caught up: the reply listener and the waiting digests' gauge. */
  start(): void;
  close(): Promise<void>;
}

export interface EmailParts {
  store: EventStore;
  queries: ReadModelQueries;
  commands: GiveawayCommandHandler;
  blobs: BlobStore;
  /** A reply is a message write: the same per-account limit as the API's and the pages'. */
  limits: Pick<AbuseLimits, "messageSend">;
  /** The notification settings (Web Push's): the unsubscribe turns their e-mail switch off. */
  notifications: Pick<NotificationPreferences, "changeSettings">;
  newId: () => string;
  now: () => Date;
}

export function openEmail(config: Config, parts: EmailParts): Email {
  const { store, queries, commands, blobs, limits, notifications, newId, now } = parts;
  const tokens = createMailTokens(resolveJwtSecret(config.jwtSecret, config.dataDir));
  const addresses = createEmailAddressBook({ store, tokens, newId, now });
  const { outbound, inbound } = config.mail;
  const transport = outbound && smtpTransport(outbound.smtpUrl, outbound.from);
  const systemContext = (actor: string) => {
    const id = newId();
    return { actorId: `system:${actor}`, correlationId: id, causationId: id };
  };

  const conversationFor = (giveawayId: string, userId: string): DigestConversationView | undefined => {
    const access = readerAccess(queries, giveawayId, userId, now());
    if (!access.ok) return undefined;
    return {
      participant: access.role !== "former_winner",
      title: access.giveaway.title,
      readUpTo: queries.inboxEntry(userId, giveawayId)?.lastReadRevision ?? -1,
      messagesAfter: (revision) =>
        visibleTo(access, queries.messagesAfter(giveawayId, revision, digestMessagesMax)).map((message) => ({
          id: message.id,
          revision: message.revision,
          senderId: message.senderId,
          senderName: message.senderName,
          content: message.content,
          sentAt: message.sentAt,
          attachments: message.attachments.map(({ contentType, size }) => ({ contentType, size })),
        })),
    };
  };

  const reactors: DurableReactor[] =
    transport && outbound
      ? [
          emailDigestReactor({
            delayMs: config.mail.digestDelayMs,
            emailStateOf: (userId) => addresses.stateOf(userId),
            emailEnabled: (userId) => queries.notificationSettingsOf(userId).email,
            isMuted: (userId, giveawayId) => queries.inboxEntry(userId, giveawayId)?.muted ?? false,
            recipientsOf(giveawayId, senderId) {
              const giveaway = queries.giveawayById(giveawayId);
              if (!giveaway?.winnerId) return [];
              return [giveaway.giverId, giveaway.winnerId].filter((userId) => userId !== senderId);
            },
            conversationFor,
            async sendDigest(digest) {
              const at = now();
              const replyTo = inbound && `reply+${tokens.sign({ purpose: "reply", userId: digest.recipientId, giveawayId: digest.giveawayId }, at)}@${inbound.replyDomain}`;
              const mail = composeDigest(
                { origin: outbound.publicOrigin },
                {
                  ...digest,
                  unsubscribeToken: tokens.sign({ purpose: "unsubscribe", userId: digest.recipientId }, at),
                  replyTo,
                  preview: queries.notificationSettingsOf(digest.recipientId).preview,
                },
              );
              await transport.send(mail);
            },
            recordDigest: (userId, data) => addresses.recordDigest(userId, data, systemContext("email-digests")),
          }),
          emailVerificationReactor({
            emailStateOf: (userId) => addresses.stateOf(userId),
            async sendVerification({ to, userId, requestedAt }) {
              const verifyToken = tokens.sign({ purpose: "verify", userId, address: to }, now());
              const username = queries.userById(userId)?.username ?? "there";
              await transport.send(composeVerification({ origin: outbound.publicOrigin }, { to, username, userId, verifyToken, requestedAt }));
            },
          }),
        ]
      : [];

  /** A checked reply becomes the user's message: its attachments first, each under an id derived from the Message-ID, then the text. */
  async function postReply(reply: InboundReply): Promise<ReplyOutcome> {
    const { giveawayId, userId } = reply;
    // Keyed by the account twice: every reply arrives from the same relay, whose address says nothing of who wrote.
    if (await limits.messageSend(`mail:${userId}`, userId)) return "later";
    const messageId = uuidV5(`reply:${giveawayId}:${userId}:${reply.mailMessageId ?? newId()}`, replyNamespace);
    const context = { actorId: userId, correlationId: messageId, causationId: messageId };
    const attachmentIds: string[] = [];
    for (const [index, attachment] of reply.attachments.entries()) {
      // The chat's own limits: its types (checked on the bytes), its size, ten to a message.
      if (attachmentIds.length >= 10 || attachment.content.length === 0 || attachment.content.length > config.attachmentMaxBytes) continue;
      const checked = await checkAttachmentType(attachment.content, attachment.contentType);
      if (!checked.ok) continue;
      const { sha256, size } = await blobs.put(attachment.content);
      const attachmentId = uuidV5(`${messageId}:attachment:${index}`, replyNamespace);
      const uploaded = await commands(giveawayId, { type: "UploadAttachment", attachmentId, uploaderId: userId, sha256, contentType: checked.type.contentType, size, now: now() }, context);
      if (!uploaded.ok) return "refused";
      attachmentIds.push(attachmentId);
    }
    let content = reply.text.length > contentMaxLength ? `${reply.text.slice(0, contentMaxLength - 1)}…` : reply.text;
    if (content.trim() === "") {
      if (attachmentIds.length === 0) return "refused";
      content = "📎";
    }
    const command = { type: "SendMessage", messageId, senderId: userId, content, now: now(), blockedBy: queries.blockersOf(userId), ...(attachmentIds.length > 0 && { attachmentIds }) } as const;
    const sent = await commands(giveawayId, command, context);
    if (sent.ok) return "stored";
    // The same Message-ID with another text: the first one stands.
    return sent.error.code === "message_id_conflict" ? "stored" : "refused";
  }

  let inboundServer: InboundMailServer | undefined;
  let resolveInbound: (address: AddressInfo | undefined) => void = () => {};
  const inboundAddress = new Promise<AddressInfo | undefined>((resolve) => {
    resolveInbound = resolve;
  });
  let stateDb: Database.Database | undefined;
  let closed = false;
  /** The digests' wake-ups in reactors.db, read when /metrics is scraped. */
  const countWaiting = () => {
    try {
      stateDb ??= openReactorState(reactorStateFile(config.dataDir));
      return readReactorStates(stateDb).find((state) => state.name === emailDigestsName)?.wakeUps.count ?? 0;
    } catch (error) {
      log.warn(errorFields(error), "waiting digests not counted this time");
      return 0;
    }
  };

  return {
    addresses,
    sending: transport !== undefined,
    reactors,
    inboundAddress,
    async unsubscribe(token, correlationId) {
      const claims = tokens.check(token, "unsubscribe", now());
      if (!claims) return false;
      await notifications.changeSettings(claims.userId, { email: false }, { actorId: claims.userId, correlationId, causationId: correlationId });
      return true;
    },
    linkIsValid: (token, purpose) => tokens.check(token, purpose, now()) !== undefined,
    start() {
      if (reactors.length > 0) {
        countMailsWaitingWith(countWaiting);
      }
      if (!inbound) return resolveInbound(undefined);
      // With WORKERS > 1 every worker listens on the one port: node:cluster shares its socket, so there is one listener.
      // The listener's libraries (smtp-server, mailparser) are loaded only here: without replies by e-mail they never are.
      import("../mail/inboundMail.ts")
        .then(({ startInboundMail }) =>
          startInboundMail(
            {
              replyDomain: inbound.replyDomain,
              tokens,
              now,
              verifiedAddressOf: async (userId) => (await addresses.stateOf(userId)).verified,
              canWrite: async (giveawayId, userId) => {
                const access = readerAccess(queries, giveawayId, userId, now());
                return access.ok && access.canWrite;
              },
              post: postReply,
              // Base64 makes attachments a third bigger on the wire; the text and headers need a little more.
              maxBytes: Math.ceil(config.attachmentMaxBytes * 1.4) + 1024 * 1024,
            },
            inbound.port,
            config.host,
          ),
        )
        .then(
          async (server) => {
            if (closed) return void (await server.close());
            inboundServer = server;
            log.info({ port: server.address().port }, "taking replies by e-mail");
            resolveInbound(server.address());
          },
          (error: unknown) => {
            // Another process on this machine already listens (several `npm start` on one port): replies go there.
            log.error({ port: inbound.port, ...errorFields(error) }, "replies by e-mail: could not listen");
            resolveInbound(undefined);
          },
        );
    },
    async close() {
      closed = true;
      countMailsWaitingWith(undefined);
      stateDb?.close();
      stateDb = undefined;
      await inboundServer?.close();
      transport?.close();
    },
  };
}
