// A real SMTP server on an ephemeral loopback port (smtp-server) that keeps every mail it is given,
// parsed with mailparser: the digests' and verification mails' receiver in the tests.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpReceiver {
  url: string;
  mails: ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The first link in a mail's text part that starts with `path` on any origin, as a path with its query. */
export function linkIn(mail: ParsedMail, path: string): string {
  const found = (mail.text ?? "").match(new RegExp(`https?://[^\\s/]+(${path.replace(/[/?]/g, "\\$&")}[^\\s]*)`));
  if (!found) throw new Error(`no ${path} link in: ${mail.text}`);
  return found[1]!;
}
