// E-mail end to end, against real servers on loopback: handoff with SMTP_URL pointing at a local
// smtp-server that keeps what it is given (smtpReceiver.ts), and handoff's own reply listener on an
// ephemeral port that nodemailer sends to. The clock is handoff's own, moved forward by the test, so
// no assertion waits on real time: a digest is due 15 minutes after the oldest unread message.
import nodemailer from "nodemailer";
import type { ParsedMail } from "mailparser";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGiveaway, expectError, signUp, type SignedInUser } from "../http/apiFixtures.ts";
import { onePixelPng } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { linkIn, startSmtpReceiver, type SmtpReceiver } from "./smtpReceiver.ts";

const replyDomain = "reply.example.invalid";
const bobAddress = "bob@example.invalid";

let receiver: SmtpReceiver;
let server: TestServer;
/** handoff's clock runs this far ahead of the real one. */
let aheadMs = 0;
let ann: SignedInUser;
let bob: SignedInUser;
/** Bob won both: the digest is of `bike`, `lamp` he reads at once. */
let bike: string;
let lamp: string;
let inboundPort: number;
let digest: ParsedMail;

const mailsTo = (address: string) => receiver.mails.filter((mail) => mail.to !== undefined && [mail.to].flat().some((to) => to.value.some((one) => one.address === address)));
const digestsTo = (address: string) => mailsTo(address).filter((mail) => /new message/.test(mail.subject ?? ""));

async function drawnFor(giver: SignedInUser, winner: SignedInUser, title: string): Promise<string> {
  const giveawayId = await createGiveaway(server, giver, title);
  expect((await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(winner.auth)).status).toBe(201);
  expect((await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth)).status).toBe(200);
  return giveawayId;
}

async function say(from: SignedInUser, giveawayId: string, content: string, attachmentIds?: string[]) {
  const sent = await request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set(from.auth).send({ content, ...(attachmentIds && { attachmentIds }) });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body as { id: string; revision: number };
}

/** A sample's value in GET /metrics (undefined: not there). */
async function metric(sample: string): Promise<number | undefined> {
  const text = (await request(server.url).get("/metrics")).text;
  const line = text.split("\n").find((each) => each.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

function replySender() {
  return nodemailer.createTransport({ host: "127.0.0.1", port: inboundPort, secure: false, ignoreTLS: true });
}

beforeAll(async () => {
  receiver = await startSmtpReceiver();
  server = await startTestServer({
    env: { SMTP_URL: receiver.url, MAIL_FROM: "handoff <chat@example.invalid>", PUBLIC_URL: "http://chat.example.invalid", SMTP_INBOUND_PORT: "0", MAIL_REPLY_DOMAIN: replyDomain },
    overrides: { now: () => new Date(Date.now() + aheadMs) },
  });
  inboundPort = (await server.handoff.email.inboundAddress)!.port;
  [ann, bob] = await Promise.all([signUp(server, "ann"), signUp(server, "bob")]);
  bike = await drawnFor(ann, bob, "A blue bike");
  lamp = await drawnFor(ann, bob, "A lamp");
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe("e-mail", () => {
  it("an address is verified by the link mailed to it (the page's button, not the GET)", async () => {
    const asked = await request(server.url).put("/api/me/email").set(bob.auth).send({ email: bobAddress });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ verified: null, pending: bobAddress, enabled: true, sending: true });
    await expect.poll(() => mailsTo(bobAddress).length).toBe(1);
    const mail = mailsTo(bobAddress)[0]!;
    expect(mail.subject).toBe("Confirm your e-mail address for handoff");
    expect(mail.html).toContain(bob.username);
    const link = linkIn(mail, "/email/verify?token=");
    const page = await request(server.url).get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="email-verify-form"');
    expect((await request(server.url).get("/api/me/email").set(bob.auth)).body.verified).toBeNull(); // a GET changes nothing
    const confirmed = await request(server.url).post(link).type("form").send({});
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain(bobAddress);
    expect((await request(server.url).get("/api/me/email").set(bob.auth)).body).toEqual({ verified: bobAddress, pending: null, enabled: true, sending: true });
  });

  it("one digest holds the unread messages once, escaped, attachments named; a conversation read in time gets none", async () => {
    // The lamp's message first, so its wake-up (dropped when Bob reads) is due before the bike's.
    const lampMessage = await say(ann, lamp, "Is the lamp still wanted?");
    expect((await request(server.url).post(`/api/giveaways/${lamp}/read`).set(bob.auth).send({ revision: lampMessage.revision })).status).toBe(204);
    await say(ann, bike, "<b>Saturday</b> at 10 & bring a lock");
    const upload = await request(server.url).post(`/api/giveaways/${bike}/attachments`).set(ann.auth).set("Content-Type", "image/png").send(onePixelPng());
    expect(upload.status).toBe(201);
    await say(ann, bike, "Here is the gate", [upload.body.id]);
    // One digest waits (the bike's): the lamp's was dropped when Bob read it.
    await expect.poll(() => metric("handoff_mails_waiting")).toBe(1);
    aheadMs += 16 * 60_000;
    // The runner looks at its wake-ups again whenever a batch stores one: Ann asking for an address is such a batch.
    expect((await request(server.url).put("/api/me/email").set(ann.auth).send({ email: "ann@example.invalid" })).status).toBe(202);
    await expect.poll(() => digestsTo(bobAddress).length).toBe(1);
    digest = digestsTo(bobAddress)[0]!;
    expect(digest.subject).toBe(`${ann.username}: 2 new messages about "A blue bike"`);
    const text = digest.text ?? "";
    expect(text.split("<b>Saturday</b> at 10 & bring a lock").length - 1).toBe(1);
    expect(text.split("Here is the gate").length - 1).toBe(1);
    expect(text).toContain("[attachment: photo (PNG, 1 KB)]");
    expect(text).not.toContain("Is the lamp still wanted?");
    expect(text).toContain(`http://chat.example.invalid/messages/${bike}`);
    const html = String(digest.html);
    expect(html).toContain("&lt;b&gt;Saturday&lt;/b&gt; at 10 &amp; bring a lock");
    expect(html).not.toContain("<b>Saturday</b>");
    expect(html.split("Here is the gate").length - 1).toBe(1);
    // RFC 8058, as the raw header lines (mailparser folds the List-* headers into one structure).
    const headerLine = (key: string) => digest.headerLines.find((line) => line.key === key)?.line.replace(/\r?\n\s+/g, " ");
    expect(headerLine("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    const unsubscribe = linkIn(digest, "/email/unsubscribe?token=");
    expect(unsubscribe).toMatch(/^\/email\/unsubscribe\?token=[0-9a-f]+$/);
    expect(headerLine("list-unsubscribe")).toBe(`List-Unsubscribe: <http://chat.example.invalid${unsubscribe}>`);
    expect(digest.replyTo?.value[0]?.address).toMatch(new RegExp(`^reply\\+[0-9a-f]+@${replyDomain.replace(/\./g, "\\.")}$`));
    // Only the bike's: the lamp was read before its time came (and Ann has no verified address).
    expect(digestsTo(bobAddress)).toHaveLength(1);
    expect(receiver.mails.filter((mail) => /new message/.test(mail.subject ?? ""))).toHaveLength(1);
    await expect.poll(() => metric('handoff_mails_total{kind="digest",outcome="sent"}')).toBe(1);
    // The wake-up row goes once the sent mail is recorded (the counter moves first): poll the gauge.
    await expect.poll(() => metric("handoff_mails_waiting")).toBe(0);
  });

  it("a reply to the digest lands in the conversation once, without the quoted digest", async () => {
    const replyTo = digest.replyTo!.value[0]!.address!;
    const quoted = (digest.text ?? "").split("\n").map((line) => `> ${line}`).join("\n");
    const mail = {
      from: bobAddress,
      to: replyTo,
      subject: `Re: ${digest.subject}`,
      text: `Yes, Saturday works.\nSee you at the gate.\n\nOn Sat, 5 Dec 2026 at 10:16, handoff <${replyTo}> wrote:\n${quoted}\n\n-- \nBob\n`,
      messageId: "<reply-1@example.invalid>",
      inReplyTo: digest.messageId,
    };
    await replySender().sendMail(mail);
    const bobsMessages = async () => {
      const listed = await request(server.url).get(`/api/giveaways/${bike}/messages?after=-1`).set(ann.auth);
      return (listed.body.messages as { senderId: string; content: string }[]).filter((message) => message.senderId === bob.id);
    };
    await expect.poll(async () => (await bobsMessages()).map((message) => message.content)).toEqual(["Yes, Saturday works.\nSee you at the gate."]);
    // The same mail again (a relay's retry): acknowledged, nothing written.
    const before = await server.handoff.storedRevision(bike);
    await replySender().sendMail(mail);
    expect(await server.handoff.storedRevision(bike)).toBe(before);
    expect(await bobsMessages()).toHaveLength(1);
  });

  it("a forged token, another domain and an unknown sender are refused with 550 and write nothing", async () => {
    const replyTo = digest.replyTo!.value[0]!.address!;
    const token = /^reply\+([0-9a-f]+)@/.exec(replyTo)![1]!;
    const forged = `reply+${token.slice(0, 30)}${token[30] === "0" ? "1" : "0"}${token.slice(31)}@${replyDomain}`;
    const before = await server.handoff.storedRevision(bike);
    const attempts = [
      { from: bobAddress, to: forged },
      { from: bobAddress, to: `reply+${token}@elsewhere.example.invalid` },
      { from: "mallory@example.invalid", to: replyTo },
    ];
    for (const attempt of attempts) {
      await expect(replySender().sendMail({ ...attempt, subject: "Re", text: "let me in", messageId: `<${crypto.randomUUID()}@example.invalid>` })).rejects.toMatchObject({ responseCode: 550 });
    }
    expect(await server.handoff.storedRevision(bike)).toBe(before);
  });

  it("a reply keeps the attachments the chat takes (a photo) and drops the others (a text file)", async () => {
    const replyTo = digest.replyTo!.value[0]!.address!;
    await replySender().sendMail({
      from: bobAddress,
      to: replyTo,
      subject: "Re: the gate",
      text: "This one?",
      messageId: "<reply-2@example.invalid>",
      attachments: [
        { filename: "gate.png", content: onePixelPng(), contentType: "image/png" },
        { filename: "notes.txt", content: "not a picture", contentType: "text/plain" },
      ],
    });
    const attachmentsOfReply = async () => {
      const listed = await request(server.url).get(`/api/giveaways/${bike}/messages?after=-1`).set(ann.auth);
      const reply = (listed.body.messages as { content: string; attachments: { contentType: string }[] }[]).find((message) => message.content === "This one?");
      return reply?.attachments.map((attachment) => attachment.contentType);
    };
    await expect.poll(attachmentsOfReply).toEqual(["image/png"]);
  });

  it("a reply to a conversation its sender may no longer write to (blocked) is refused with 550", async () => {
    expect((await request(server.url).put(`/api/me/blocks/${bob.id}`).set(ann.auth)).status).toBe(204);
    const before = await server.handoff.storedRevision(bike);
    await expect(replySender().sendMail({ from: bobAddress, to: digest.replyTo!.value[0]!.address!, subject: "Re", text: "hello?", messageId: "<reply-3@example.invalid>" })).rejects.toMatchObject({ responseCode: 550 });
    expect(await server.handoff.storedRevision(bike)).toBe(before);
    expect((await request(server.url).delete(`/api/me/blocks/${bob.id}`).set(ann.auth)).status).toBe(204);
  });

  it("the digest's one-click unsubscribe turns e-mail off, with no sign-in", async () => {
    const link = linkIn(digest, "/email/unsubscribe?token=");
    const page = await request(server.url).get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="email-unsubscribe-form"');
    // RFC 8058: what a mail program posts by itself.
    const posted = await request(server.url).post(link).type("form").send("List-Unsubscribe=One-Click");
    expect(posted.status).toBe(200);
    expect((await request(server.url).get("/api/me/email").set(bob.auth)).body).toMatchObject({ verified: bobAddress, enabled: false });
    await expect.poll(async () => (await request(server.url).get("/api/me/notifications").set(bob.auth)).body.email).toBe(false);
    const forged = await request(server.url).post(`${link.slice(0, -1)}${link.endsWith("0") ? "1" : "0"}`).type("form").send("List-Unsubscribe=One-Click");
    expect(forged.status).toBe(400);
  });

  it("no read model stopped on the e-mail events in the users' streams", () => {
    expect(server.handoff.runner.status().filter((projection) => projection.failure !== undefined)).toEqual([]);
  });

  it("PUT /api/me/email refuses what is not an address", async () => {
    expectError(await request(server.url).put("/api/me/email").set(bob.auth).send({ email: "not an address" }), 422, "invalid_email");
    expectError(await request(server.url).put("/api/me/email").set(bob.auth).send({ address: bobAddress }), 422, "invalid_field");
  });
});
