// Every HTML answer, the pages' and the audit's, carries the same security headers: no sniffing, no
// referrer abroad, no framing, the microphone for this site only (voice notes), no camera or
// location; and Strict-Transport-Security exactly when the request came over https.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, type Conversation } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

let server: TestServer;
let conversation: Conversation;

beforeAll(async () => {
  // Behind a proxy: X-Forwarded-Proto says whether the browser came over https.
  server = await startTestServer({ env: { TRUST_PROXY: "true" } });
  conversation = await drawnGiveaway(server);
});
afterAll(() => server.close());

const overHttps = { "X-Forwarded-Proto": "https" };

const documents = {
  "the sign-in page": () => request(server.url).get("/signin"),
  "a signed-in page": () => request(server.url).get("/giveaways").set(conversation.giver.auth),
  "the audit page": () => request(server.url).get(`/giveaways/${conversation.giveawayId}/audit`).set(conversation.giver.auth),
  "the audit's refusal": () => request(server.url).get(`/giveaways/${conversation.giveawayId}/audit`).set(conversation.outsider.auth),
  "the chat stream's refusal": () => request(server.url).get(`/messages/${conversation.giveawayId}/stream`),
};

describe.each(Object.entries(documents))("%s", (_name, get) => {
  it("carries nosniff, Referrer-Policy, X-Frame-Options and Permissions-Policy", async () => {
    const response = await get();
    expect(response.headers["content-type"] ?? "").toMatch(/html|text/);
    expect(response.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      "x-frame-options": "DENY",
      "permissions-policy": "camera=(), geolocation=(), microphone=(self)",
    });
  });

  it("sends Strict-Transport-Security under https only", async () => {
    expect((await get()).headers["strict-transport-security"]).toBeUndefined();
    expect((await get().set(overHttps)).headers["strict-transport-security"]).toBe("max-age=31536000");
  });
});

it("the audit page answers 200 and the outsider 403 (the headers above are on real answers)", async () => {
  expect((await documents["the audit page"]()).status).toBe(200);
  expect((await documents["the audit's refusal"]()).status).toBe(403);
});
