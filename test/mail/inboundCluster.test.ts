// WORKERS=2 with replies by e-mail: every worker listens on SMTP_INBOUND_PORT and node:cluster shares
// the one socket, so there is one listener, and whichever worker takes a connection answers it.
import nodemailer from "nodemailer";
import { afterAll, expect, it } from "vitest";
import { startLoggingServer, type LoggingServer } from "../support/loggingServerProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";

const dir = makeTempDir("mail-cluster");
let server: LoggingServer | undefined;

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

it("two workers share one reply listener: the same port, no failed listen, and it answers", async () => {
  server = await startLoggingServer({ DATA_DIR: dir.path, WORKERS: "2", SMTP_INBOUND_PORT: "0", MAIL_REPLY_DOMAIN: "reply.example.invalid" });
  const listening = () => server!.logLines().filter((line) => line.msg === "taking replies by e-mail");
  await expect.poll(() => listening().length, { timeout: 30_000, message: server.output() }).toBe(2);
  const ports = new Set(listening().map((line) => line.port));
  expect(ports.size).toBe(1);
  expect(server.logLines().filter((line) => String(line.msg).includes("could not listen"))).toEqual([]);
  const port = Number([...ports][0]);
  // Nobody's reply address: the listener answers 550, whichever worker took the connection.
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
    await expect(transport.sendMail({ from: "someone@example.invalid", to: "reply+00@reply.example.invalid", subject: "hi", text: "hi" })).rejects.toMatchObject({ responseCode: 550 });
  }
});
