// The mails handoff sends, each with a plain-text and an HTML part: the digest of a conversation's
// unread messages and the address verification. The HTML is an Eta view (views/email*Mail.eta) that
// escapes every interpolation, so a message's text can never become markup in a mail program.
import { Eta } from "eta";
import type { DigestMessage } from "../domain/emailDigest.ts";
import { viewsDir } from "../projectPaths.ts";
import type { OutgoingMail } from "./mailTransport.ts";
import { replyAboveMarker } from "./replyText.ts";

const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true, autoTrim: [false, "nl"] });

/** The links a mail carries, made from PUBLIC_URL. */
export interface MailLinks {
  origin: string;
}

export interface DigestMailInput {
  to: string;
  recipientId: string;
  giveawayId: string;
  title: string;
  messages: readonly DigestMessage[];
  upToRevision: number;
  /** The one-click unsubscribe token (mailTokens.ts). */
  unsubscribeToken: string;
  /** reply+<token>@MAIL_REPLY_DOMAIN, when replies by e-mail are on. */
  replyTo: string | undefined;
  /** The notification settings' preview: off, the mail says who wrote and when, not what. */
  preview: boolean;
}

/** "photo (PNG, 12 KB)": what an attachment is, since it has no name of its own. */
export function attachmentLabel(attachment: { contentType: string; size: number }): string {
  const [kind, subtype = ""] = attachment.contentType.split("/");
  const what = kind === "image" ? "photo" : kind === "audio" ? "voice note" : subtype === "pdf" ? "PDF document" : "file";
  const size = attachment.size >= 1024 * 1024 ? `${(attachment.size / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(attachment.size / 1024))} KB`;
  return `${what} (${subtype.toUpperCase() || "?"}, ${size})`;
}

/** One line whatever the title holds: a header never takes a line break from a user. */
function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function readableUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function senderOf(message: DigestMessage): string {
  return message.senderId === null ? "handoff (a notice from the platform)" : (message.senderName ?? "someone");
}

function hostOf(origin: string): string {
  return new URL(origin).hostname;
}

export function composeDigest(links: MailLinks, input: DigestMailInput): OutgoingMail {
  const chatUrl = `${links.origin}/messages/${input.giveawayId}`;
  const unsubscribeUrl = `${links.origin}/email/unsubscribe?token=${input.unsubscribeToken}`;
  const senders = [...new Set(input.messages.map(senderOf))];
  const title = oneLine(input.title);
  const count = input.messages.length;
  const subject = `${oneLine(senders.join(", "), 60)}: ${count === 1 ? "a new message" : `${count} new messages`} about "${title}"`;
  const messages = input.messages.map((message) => ({
    sender: senderOf(message),
    at: readableUtc(message.sentAt),
    content: input.preview ? (message.content ?? "") : "(a message: open the chat to read it)",
    attachments: message.attachments.map(attachmentLabel),
  }));
  const text = [
    ...(input.replyTo ? [replyAboveMarker, ""] : []),
    `${senders.join(", ")} wrote to you about "${title}" on handoff:`,
    "",
    ...messages.flatMap((message) => [`${message.sender}, ${message.at}:`, message.content, ...message.attachments.map((label) => `  [attachment: ${label}]`), ""]),
    `Open the chat: ${chatUrl}`,
    ...(input.replyTo ? ["Or answer this mail: your reply above the line goes to the chat."] : []),
    "",
    "You get this mail because these messages were not read yet. Nothing more about this conversation until you have read it.",
    `Unsubscribe from these mails: ${unsubscribeUrl}`,
  ].join("\n");
  const html = eta.render("./emailDigestMail", { title, senders: senders.join(", "), messages, chatUrl, unsubscribeUrl, canReply: input.replyTo !== undefined, replyMarker: replyAboveMarker });
  return {
    to: input.to,
    subject,
    text,
    html,
    messageId: `<digest.${input.giveawayId}.${input.recipientId}.${input.upToRevision}@${hostOf(links.origin)}>`,
    replyTo: input.replyTo,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "Auto-Submitted": "auto-generated",
    },
  };
}

export interface VerificationMailInput {
  to: string;
  username: string;
  userId: string;
  verifyToken: string;
  requestedAt: string;
}

export function composeVerification(links: MailLinks, input: VerificationMailInput): OutgoingMail {
  const verifyUrl = `${links.origin}/email/verify?token=${input.verifyToken}`;
  const text = [
    `Hello ${input.username},`,
    "",
    "handoff was asked to send you a mail when someone writes to you in a conversation you have not read.",
    `To confirm that this address is yours, open: ${verifyUrl}`,
    "",
    "If you did not ask for this, ignore this mail: nothing is sent to this address unless the link is followed.",
  ].join("\n");
  const html = eta.render("./emailVerificationMail", { username: input.username, verifyUrl });
  return {
    to: input.to,
    subject: "Confirm your e-mail address for handoff",
    text,
    html,
    messageId: `<verify.${input.userId}.${Date.parse(input.requestedAt)}@${hostOf(links.origin)}>`,
    headers: { "Auto-Submitted": "auto-generated" },
  };
}
