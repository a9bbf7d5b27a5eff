// Replies by e-mail: an SMTP listener (smtp-server) for reply+<token>@MAIL_REPLY_DOMAIN. The token
// (mailTokens.ts) names the conversation and the recipient of the digest; only that person's
// verified address may use it, and only while they may still write there. Anything else (a forged
// or expired token, another domain, an unknown sender, a conversation closed to them) is refused with
// a bare 550, saying no more: at RCPT TO, or at the end of DATA for what only the mail or the
// conversation's decider can tell (a From: that is not the envelope's, a block). The mail is parsed
// with mailparser; what it quotes and its signature are cut (replyText.ts); what is left, with the
// attachments the chat accepts, is posted as their message under an id derived from the Message-ID,
// so the same mail delivered twice is stored once.
// No AUTH and no STARTTLS here: the listener takes mail from the operator's MX relay, not from users.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { sameAddress } from "../domain/emailAddresses.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import type { MailTokens } from "./mailTokens.ts";
import { replyText } from "./replyText.ts";

const log = componentLogger("inbound-mail");

/** A reply, checked, with its quoted history cut, as the application posts it. */
export interface InboundReply {
  giveawayId: string;
  userId: string;
  /** The mail's Message-ID header (undefined: it had none; then it cannot be recognised again). */
  mailMessageId: string | undefined;
  text: string;
  attachments: { content: Buffer; contentType: string }[];
}

/** stored: in the conversation (now or before); refused: the conversation does not take it; later: over the sender's message limit (451: the relay tries again). */
export type ReplyOutcome = "stored" | "refused" | "later";

export interface InboundMailDeps {
  replyDomain: string;
  tokens: MailTokens;
  now(): Date;
  /** The user's verified address (undefined: none, or unsubscribed does not matter here). */
  verifiedAddressOf(userId: string): Promise<string | undefined>;
  /** The user may still write in the conversation. */
  canWrite(giveawayId: string, userId: string): Promise<boolean>;
  post(reply: InboundReply): Promise<ReplyOutcome>;
  /** The largest mail taken, in bytes (its attachments are checked one by one afterwards). */
  maxBytes: number;
}

export interface InboundMailServer {
  address(): AddressInfo;
  close(): Promise<void>;
}

/** An SMTP refusal: smtp-server answers with the error's responseCode and message. */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

const refused = () => smtpError(550, "Mailbox unavailable");

interface Recipient {
  giveawayId: string;
  userId: string;
  address: string;
}

export async function startInboundMail(deps: InboundMailDeps, port: number, host: string): Promise<InboundMailServer> {
  // Per mail (its envelope, new for each): the reply address accepted at RCPT TO.
  const accepted = new WeakMap<SMTPServerSession["envelope"], Recipient>();

  async function recipientOf(to: SMTPServerAddress, session: SMTPServerSession): Promise<Recipient | undefined> {
    const match = /^reply\+([0-9a-f]+)@(.+)$/i.exec(to.address);
    if (!match || match[2]!.toLowerCase() !== deps.replyDomain.toLowerCase()) return undefined;
    const claims = deps.tokens.check(match[1]!, "reply", deps.now());
    if (!claims) return undefined;
    const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
    const address = await deps.verifiedAddressOf(claims.userId);
    if (!sameAddress(sender, address)) return undefined;
    if (!(await deps.canWrite(claims.giveawayId, claims.userId))) return undefined;
    return { giveawayId: claims.giveawayId, userId: claims.userId, address: address! };
  }

  async function receive(stream: SMTPServerDataStream, recipient: Recipient): Promise<void> {
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(stream);
    } catch {
      throw smtpError(550, "The message could not be read");
    }
    if (stream.sizeExceeded) throw smtpError(552, "Message too big");
    // The header's sender must be the envelope's (the digest's recipient), too.
    const from = parsed.from?.value[0]?.address;
    if (!sameAddress(from, recipient.address)) throw refused();
    const text = replyText(parsed.text ?? "");
    // Pictures the HTML part embeds (a signature's logo) are not attachments the person chose.
    const attachments = parsed.attachments.filter((attachment) => !attachment.related).map((attachment) => ({ content: attachment.content, contentType: attachment.contentType }));
    const outcome = await deps.post({ giveawayId: recipient.giveawayId, userId: recipient.userId, mailMessageId: parsed.messageId, text, attachments });
    if (outcome === "refused") throw refused();
    if (outcome === "later") throw smtpError(451, "Try again later");
    metrics.mailsReceived.inc({ outcome: "stored" });
  }

  const server = new SMTPServer({
    banner: "handoff replies",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: deps.maxBytes,
    logger: false,
    // Replies come from the operator's relay: no reverse DNS for each connection.
    disableReverseLookup: true,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(to, session, callback) {
      if (accepted.has(session.envelope)) return callback(smtpError(452, "One recipient at a time"));
      recipientOf(to, session).then(
        (recipient) => {
          if (!recipient) {
            metrics.mailsReceived.inc({ outcome: "refused" });
            return callback(refused());
          }
          accepted.set(session.envelope, recipient);
          callback();
        },
        (error: unknown) => {
          log.error(errorFields(error, true), "reply address not checked");
          callback(smtpError(451, "Try again later"));
        },
      );
    },
    onData(stream, session, callback) {
      const recipient = accepted.get(session.envelope);
      accepted.delete(session.envelope);
      if (!recipient) {
        stream.resume();
        return callback(refused());
      }
      receive(stream, recipient).then(
        () => callback(),
        (error: unknown) => {
          stream.resume();
          if (error instanceof Error && "responseCode" in error) {
            if (Number(error.responseCode) >= 500) metrics.mailsReceived.inc({ outcome: "refused" });
            return callback(error);
          }
          log.error({ giveawayId: recipient.giveawayId, userId: recipient.userId, ...errorFields(error, true) }, "reply not stored; the sender's server will try again");
          callback(smtpError(451, "Try again later"));
        },
      );
    },
  });
  // A client's broken connection is reported here: logged, never a crash.
  server.on("error", (error) => log.warn(errorFields(error), "inbound mail connection failed"));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  return {
    address: () => server.server.address() as AddressInfo,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
