// Attachments: bytes in with their Content-Type, checked on the bytes (413/415), kept by hash,
// referenced by events, attached to messages, served to participants only with safe headers.
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onePixelPng, tinyPdf, webmAudioHeader } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, expectError, type Conversation, type SignedInUser } from "./apiFixtures.ts";

const maxBytes = 4096;
let server: TestServer;
let talk: Conversation;
beforeAll(async () => {
  server = await startTestServer({ env: { ATTACHMENT_MAX_BYTES: String(maxBytes) } });
  talk = await drawnGiveaway(server);
});
afterAll(() => server.close());

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const upload = (who: SignedInUser, bytes: Buffer, contentType: string, giveawayId = talk.giveawayId) =>
  request(server.url).post(`/api/giveaways/${giveawayId}/attachments`).set(who.auth).set("Content-Type", contentType).send(bytes);

describe("uploading", () => {
  it("answers 201 {id, contentType, size, sha256}, and keeps the bytes under their hash", async () => {
    const png = onePixelPng();
    const response = await upload(talk.giver, png, "image/png");
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), contentType: "image/png", size: png.length, sha256: sha256(png) });
    expect(existsSync(join(server.dataDir, "blobs", sha256(png).slice(0, 2), sha256(png)))).toBe(true);
    // The event holds the reference, covered by the hash chain.
    const events = await request(server.url).get(`/api/giveaways/${talk.giveawayId}/events`).set(talk.giver.auth);
    const uploaded = events.body.events.find((event: { type: string }) => event.type === "AttachmentUploaded");
    expect(uploaded.data).toMatchObject({ attachmentId: response.body.id, sha256: sha256(png), contentType: "image/png", size: png.length });
    expect(JSON.stringify(uploaded.data)).not.toContain(png.toString("base64"));
  });

  it("accepts a voice note (audio/webm as MediaRecorder names it) and a PDF", async () => {
    const voice = await upload(talk.winner, webmAudioHeader(), "audio/webm;codecs=opus");
    expect(voice.status, JSON.stringify(voice.body)).toBe(201);
    expect(voice.body.contentType).toBe("audio/webm");
    const pdf = await upload(talk.winner, tinyPdf(), "application/pdf");
    expect(pdf.status, JSON.stringify(pdf.body)).toBe(201);
  });

  it("checks type and size on the bytes: 415 for other bytes or a lying Content-Type, 413 over the limit", async () => {
    expectError(await upload(talk.giver, Buffer.from("<html><script>alert(1)</script></html>"), "image/png"), 415, "unsupported_media_type");
    expectError(await upload(talk.giver, onePixelPng(), "application/pdf"), 415, "unsupported_media_type");
    expectError(await upload(talk.giver, tinyPdf(), "text/html"), 415, "unsupported_media_type");
    const big = Buffer.concat([onePixelPng(), Buffer.alloc(maxBytes)]);
    expectError(await upload(talk.giver, big, "image/png"), 413, "body_too_large");
    const empty = await request(server.url).post(`/api/giveaways/${talk.giveawayId}/attachments`).set(talk.giver.auth).set("Content-Type", "image/png");
    expectError(empty, 415, "unsupported_media_type");
  });

  it("refuses outsiders before reading the body, and unknown giveaways", async () => {
    expectError(await upload(talk.outsider, onePixelPng(), "image/png"), 403, "not_participant");
    expectError(await upload(talk.giver, onePixelPng(), "image/png", randomUUID()), 404, "giveaway_not_found");
  });
});

describe("attaching and serving", () => {
  it("a message carries attachmentIds; its attachments show on it; participants fetch the bytes with safe headers", async () => {
    const png = onePixelPng();
    const uploaded = await upload(talk.giver, png, "image/png");
    const sent = await request(server.url)
      .post(`/api/giveaways/${talk.giveawayId}/messages`)
      .set(talk.giver.auth)
      .send({ content: "Here it is", attachmentIds: [uploaded.body.id] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.attachments).toEqual([uploaded.body]);

    const fetched = await request(server.url).get(`/api/giveaways/${talk.giveawayId}/attachments/${uploaded.body.id}`).set(talk.winner.auth).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    });
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(fetched.body as Buffer, png)).toBe(0);
    expect(fetched.headers["content-type"]).toBe("image/png");
    expect(fetched.headers["x-content-type-options"]).toBe("nosniff");
    expect(fetched.headers["content-security-policy"]).toBe("default-src 'none'; sandbox");
    expect(fetched.headers["content-disposition"]).toMatch(/^inline; filename="attachment-[0-9a-f]{8}\.png"$/);

    const pdf = await upload(talk.giver, tinyPdf(), "application/pdf");
    const download = await request(server.url).get(`/api/giveaways/${talk.giveawayId}/attachments/${pdf.body.id}`).set(talk.giver.auth);
    expect(download.headers["content-disposition"]).toMatch(/^attachment; filename="attachment-[0-9a-f]{8}\.pdf"$/);

    expectError(await request(server.url).get(`/api/giveaways/${talk.giveawayId}/attachments/${uploaded.body.id}`).set(talk.outsider.auth), 403, "not_participant");
    expectError(await request(server.url).get(`/api/giveaways/${talk.giveawayId}/attachments/${randomUUID()}`).set(talk.giver.auth), 404, "attachment_not_found");
    expectError(await request(server.url).get(`/api/giveaways/${talk.giveawayId}/attachments/..%2F..%2Fetc`).set(talk.giver.auth), 404, "attachment_not_found");
  });

  it("removing the message stops serving its attachments", async () => {
    const uploaded = await upload(talk.winner, onePixelPng(), "image/png");
    const sent = await request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.winner.auth).send({ content: "oops", attachmentIds: [uploaded.body.id] });
    expect(sent.status).toBe(201);
    const url = `/api/giveaways/${talk.giveawayId}/attachments/${uploaded.body.id}`;
    expect((await request(server.url).get(url).set(talk.giver.auth)).status).toBe(200);
    await request(server.url).delete(`/api/giveaways/${talk.giveawayId}/messages/${sent.body.id}`).set(talk.winner.auth).expect(204);
    expectError(await request(server.url).get(url).set(talk.giver.auth), 404, "attachment_not_found");
  });

  it("only the uploader may attach an upload, and only in its own conversation", async () => {
    const uploaded = await upload(talk.giver, onePixelPng(), "image/png");
    const send = (who: SignedInUser, giveawayId: string) =>
      request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set(who.auth).send({ content: "x", attachmentIds: [uploaded.body.id] });
    expectError(await send(talk.winner, talk.giveawayId), 422, "invalid_attachment");
    const other = await drawnGiveaway(server);
    expectError(await request(server.url).get(`/api/giveaways/${other.giveawayId}/attachments/${uploaded.body.id}`).set(other.giver.auth), 404, "attachment_not_found");
  });
});
