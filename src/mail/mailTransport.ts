// Sending mail through the operator's SMTP server (SMTP_URL: smtp://user:pass@host:587, or smtps://
// for TLS from the first byte), with nodemailer. Called only from the durable reactors, never inside
// a request; every step has a timeout, so a dead server costs a retry, never a hung reactor.
// nodemailer is loaded at the first mail, so a server that sends none never holds it in memory.
import type { Transporter } from "nodemailer";

/** A mail as the composers make it: both parts, and the headers a digest needs. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our own Message-ID (`<...@...>`): the same digest sent twice carries the same one. */
  messageId: string;
  replyTo?: string | undefined;
  /** RFC 8058's List-Unsubscribe and List-Unsubscribe-Post, and the like. */
  headers?: Record<string, string>;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const url = new URL(smtpUrl);
  const secure = url.protocol === "smtps:";
  let transporter: Promise<Transporter> | undefined;
  const transporterOf = () =>
    (transporter ??= import("nodemailer").then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port ? Number(url.port) : secure ? 465 : 587,
        secure,
        ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    ));
  return {
    async send(mail) {
      await (await transporterOf()).sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(mail.replyTo !== undefined && { replyTo: mail.replyTo }),
        ...(mail.headers && { headers: mail.headers }),
      });
    },
    close: () => void transporter?.then((created) => created.close()).catch(() => {}), // never loaded: nothing to close
  };
}
