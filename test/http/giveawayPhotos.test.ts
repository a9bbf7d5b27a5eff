// The item in view over HTTP: the giver adds photos (POST /api/giveaways/:id/photos), checked on the
// bytes like attachments and refused in plain words; whoever may see the giveaway lists and fetches
// them; the cover shows in the list, on the giveaway page, in the chat's header and in the inbox.
// People's own photos (PUT/DELETE /api/me/avatar, GET /api/users/:id/avatar) show as their avatar.
import { createHash, randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradientPng, onePixelPng, tinyPdf } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, expectError, signUp, type Conversation, type SignedInUser } from "./apiFixtures.ts";

const maxBytes = 8192;
let server: TestServer;
let talk: Conversation;
beforeAll(async () => {
  server = await startTestServer({ env: { ATTACHMENT_MAX_BYTES: String(maxBytes) } });
  talk = await drawnGiveaway(server);
});
afterAll(() => server.close());

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const addPhoto = (who: SignedInUser, bytes: Buffer, contentType = "image/png", giveawayId = talk.giveawayId) =>
  request(server.url).post(`/api/giveaways/${giveawayId}/photos`).set(who.auth).set("Content-Type", contentType).send(bytes);
const bytesOf = (path: string, who: SignedInUser) =>
  request(server.url)
    .get(path)
    .set(who.auth)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    });
/** A page as the person's browser gets it (the session cookie carries the same token). */
const page = (who: SignedInUser, path: string) => request(server.url).get(path).set("Cookie", `handoff_session=${who.token}`);
const notAPhoto = "This kind of file can't be a photo: PNG, JPEG, WebP and GIF pictures work.";

describe("adding photos of the item", () => {
  it("the giver adds one (201, the cover), a second (not the cover), and the same picture again is the photo it already is (200)", async () => {
    const { giveawayId, giver } = await drawnGiveaway(server);
    const first = gradientPng(8, 6);
    const added = await addPhoto(giver, first, "image/png", giveawayId);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      giveawayId,
      contentType: "image/png",
      size: first.length,
      sha256: sha256(first),
      addedAt: expect.any(String),
      cover: true,
      url: `/api/giveaways/${giveawayId}/photos/${added.body.id}`,
    });
    expect(added.headers.location).toBe(added.body.url);
    const second = await addPhoto(giver, onePixelPng(), "image/png", giveawayId);
    expect(second.status).toBe(201);
    expect(second.body.cover).toBe(false);
    const again = await addPhoto(giver, first, "image/png", giveawayId);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(added.body.id);

    const listed = await request(server.url).get(`/api/giveaways/${giveawayId}/photos`).set(giver.auth);
    expect(listed.body.photos.map((photo: { id: string; cover: boolean }) => [photo.id, photo.cover])).toEqual([
      [added.body.id, true],
      [second.body.id, false],
    ]);
    const giveaway = await request(server.url).get(`/api/giveaways/${giveawayId}`).set(giver.auth);
    expect(giveaway.body.coverPhotoId).toBe(added.body.id);
    // The fact is in the giveaway's stream, covered by the chain: the reference, never the bytes.
    const events = await request(server.url).get(`/api/giveaways/${giveawayId}/events`).set(giver.auth);
    const photoEvents = events.body.events.filter((event: { type: string }) => event.type === "GiveawayPhotoAdded");
    expect(photoEvents.map((event: { data: { photoId: string; sha256: string } }) => event.data.photoId)).toEqual([added.body.id, second.body.id]);
    expect(photoEvents[0].data.sha256).toBe(sha256(first));
  });

  it("whoever may see the giveaway (anyone signed in) fetches a photo's bytes, served as a picture that cannot run", async () => {
    const bytes = gradientPng(4, 4);
    const added = await addPhoto(talk.giver, bytes);
    expect(added.status).toBe(201);
    const stranger = await signUp(server, "stranger");
    const fetched = await bytesOf(added.body.url, stranger);
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(fetched.body as Buffer, bytes)).toBe(0);
    expect(fetched.headers["content-type"]).toBe("image/png");
    expect(fetched.headers["x-content-type-options"]).toBe("nosniff");
    expect(fetched.headers["content-security-policy"]).toBe("default-src 'none'; sandbox");
    expect(fetched.headers["content-disposition"]).toMatch(/^inline; filename="photo-[0-9a-f]{8}\.png"$/);
    expect(fetched.headers.etag).toBe(`"${sha256(bytes)}"`);
    const unchanged = await request(server.url).get(added.body.url).set(stranger.auth).set("If-None-Match", `"${sha256(bytes)}"`);
    expect(unchanged.status).toBe(304);
    expect((await request(server.url).get(`/api/giveaways/${talk.giveawayId}/photos`).set(stranger.auth)).status).toBe(200);
    expect((await request(server.url).get(added.body.url)).status).toBe(401);
  });

  it("only the giver adds them, to a giveaway there is; an unknown photo is 404", async () => {
    expectError(await addPhoto(talk.winner, onePixelPng()), 403, "not_giver");
    expectError(await addPhoto(talk.outsider, onePixelPng()), 403, "not_giver");
    expectError(await addPhoto(talk.giver, onePixelPng(), "image/png", randomUUID()), 404, "giveaway_not_found");
    expectError(await request(server.url).get(`/api/giveaways/${talk.giveawayId}/photos/${randomUUID()}`).set(talk.giver.auth), 404, "attachment_not_found");
    expectError(await request(server.url).get(`/api/giveaways/${talk.giveawayId}/photos/..%2F..%2Fetc`).set(talk.giver.auth), 404, "attachment_not_found");
    expectError(await request(server.url).get(`/api/giveaways/${randomUUID()}/photos`).set(talk.giver.auth), 404, "giveaway_not_found");
  });

  it("refuses what is no picture, a mislabelled one and one too big, in plain words", async () => {
    const unknown = await addPhoto(talk.giver, Buffer.from("just some words, of no known type"), "image/png");
    expectError(unknown, 415, "unsupported_media_type");
    expect(unknown.body.error.message).toBe(notAPhoto);
    expect((await addPhoto(talk.giver, tinyPdf(), "application/pdf")).body.error.message).toBe(notAPhoto);
    const mislabelled = await addPhoto(talk.giver, onePixelPng(), "image/jpeg");
    expectError(mislabelled, 415, "unsupported_media_type");
    expect(mislabelled.body.error.message).toBe("This file is not the kind of file its name says: save it again, then attach it once more.");
    const big = await addPhoto(talk.giver, Buffer.concat([onePixelPng(), Buffer.alloc(maxBytes)]));
    expectError(big, 413, "body_too_large");
    expect(big.body.error.message).toBe("This file is too big to send: at most 8 KB.");
  });

  it("a chat attachment of no known type is refused in the same plain words a person can act on", async () => {
    const refused = await request(server.url).post(`/api/giveaways/${talk.giveawayId}/attachments`).set(talk.giver.auth).set("Content-Type", "image/png").send(Buffer.from("these bytes are of no known type"));
    expectError(refused, 415, "unsupported_media_type");
    expect(refused.body.error.message).toBe("This kind of file can't be sent: photos, voice notes and PDFs work.");
  });

  it("is refused once the item was handed over", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const from = new Date(Date.now() + 24 * 3600_000);
    const proposed = await request(server.url)
      .post(`/api/giveaways/${giveawayId}/pickup/proposals`)
      .set(giver.auth)
      .send({ from: from.toISOString(), to: new Date(from.getTime() + 3600_000).toISOString(), place: "The gate" });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/pickup/proposals/${proposed.body.proposalId}/accept`).set(winner.auth)).status).toBe(200);
    for (const side of [giver, winner]) expect((await request(server.url).post(`/api/giveaways/${giveawayId}/handover`).set(side.auth)).status).toBeLessThan(300);
    expectError(await addPhoto(giver, onePixelPng(), "image/png", giveawayId), 409, "giveaway_completed");
  });
});

describe("the item in view on the pages", () => {
  it("the cover shows in the list, on the giveaway page, in both people's chat header and inbox", async () => {
    const { giveawayId, giver, winner, outsider } = await drawnGiveaway(server);
    const added = await addPhoto(giver, gradientPng(6, 6), "image/png", giveawayId);
    expect(added.status).toBe(201);
    const cover = `src="${added.body.url}"`;
    const list = await page(outsider, "/giveaways");
    expect(list.status).toBe(200);
    const row = new RegExp(`<li class="giveaway-item[^"]*" data-giveaway-id="${giveawayId}">[\\s\\S]*?</li>`).exec(list.text)?.[0] ?? "";
    expect(row).toContain(cover);
    const shown = await page(outsider, `/giveaways/${giveawayId}`);
    expect(shown.text).toContain(cover);
    expect(shown.text).not.toContain('id="photo-form"'); // only the giver adds photos
    expect((await page(giver, `/giveaways/${giveawayId}`)).text).toContain('id="photo-form"');
    for (const person of [giver, winner]) {
      const chat = await page(person, `/messages/${giveawayId}`);
      expect(chat.status).toBe(200);
      expect(/<header class="chat-header">[\s\S]*?<\/header>/.exec(chat.text)?.[0]).toContain(cover);
      const inbox = await page(person, "/inbox");
      const entry = new RegExp(`<li class="inbox-item[^"]*" data-giveaway-id="${giveawayId}">[\\s\\S]*?</li>`).exec(inbox.text)?.[0] ?? "";
      expect(entry).toContain(cover);
    }
  });

  it("without photos a giveaway shows the title's first letter, never a broken picture", async () => {
    const { giveawayId, giver } = await drawnGiveaway(server);
    const chat = await page(giver, `/messages/${giveawayId}`);
    expect(chat.text).toMatch(/<span class="item-picture item-picture-small item-picture-none" aria-hidden="true" id="chat-cover">A<\/span>/);
  });
});

describe("people's own photos", () => {
  it("PUT sets it (the other person's avatar in the chat and inbox), anyone signed in fetches it, DELETE goes back to initials", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const bytes = gradientPng(5, 5);
    const set = await request(server.url).put("/api/me/avatar").set(winner.auth).set("Content-Type", "image/png").send(bytes);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual({ userId: winner.id, contentType: "image/png", size: bytes.length, sha256: sha256(bytes), url: `/api/users/${winner.id}/avatar?v=${sha256(bytes).slice(0, 16)}` });
    const someone = await signUp(server, "someone");
    const fetched = await bytesOf(set.body.url, someone);
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(fetched.body as Buffer, bytes)).toBe(0);
    expect(fetched.headers["cache-control"]).toBe("private, max-age=31536000, immutable");
    expect((await request(server.url).get(`/api/users/${winner.id}/avatar`).set(someone.auth)).headers["cache-control"]).toBe("private, no-cache");
    const avatarImg = `<img class="avatar" src="${set.body.url}"`;
    const chat = await page(giver, `/messages/${giveawayId}`);
    expect(/<p class="chat-with">[\s\S]*?<\/p>/.exec(chat.text)?.[0]).toContain(avatarImg);
    expect((await page(giver, "/inbox")).text).toContain(avatarImg);

    const refused = await request(server.url).put("/api/me/avatar").set(winner.auth).set("Content-Type", "application/pdf").send(tinyPdf());
    expectError(refused, 415, "unsupported_media_type");
    expect(refused.body.error.message).toBe(notAPhoto);

    expect((await request(server.url).delete("/api/me/avatar").set(winner.auth)).status).toBe(204);
    expectError(await request(server.url).get(`/api/users/${winner.id}/avatar`).set(someone.auth), 404, "not_found");
    const after = await page(giver, `/messages/${giveawayId}`);
    expect(/<p class="chat-with">[\s\S]*?<\/p>/.exec(after.text)?.[0]).toContain('class="avatar avatar-initials"');
    expect((await request(server.url).delete("/api/me/avatar").set(winner.auth)).status).toBe(204);
  });
});
