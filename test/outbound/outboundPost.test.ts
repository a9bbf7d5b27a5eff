// One guarded outbound POST against a real loopback server: the status is the answer (a redirect is
// not followed), no answer in time is a failure, and a refused address is never connected to.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundPoster } from "../../src/outbound/outboundPost.ts";

let server: Server;
let base: string;
const seen: { path: string; body: string; headers: Record<string, string | string[] | undefined> }[] = [];
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      seen.push({ path: request.url ?? "", body, headers: request.headers });
      if (request.url === "/hang") return void hanging.push(response);
      if (request.url === "/moved") return void response.writeHead(302, { location: `${base}/elsewhere` }).end();
      response.writeHead(request.url === "/fail" ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const lenient = outboundPoster({ allowPrivate: true }, { timeoutMs: 300 });

describe("outboundPoster", () => {
  it("POSTs the body as JSON with the given headers, and answers the status", async () => {
    const answer = await lenient.post(`${base}/ok`, { "webhook-id": "msg_1" }, '{"a":1}');
    expect(answer).toMatchObject({ status: 204, latencyMs: expect.any(Number) });
    expect(seen.at(-1)).toMatchObject({ path: "/ok", body: '{"a":1}', headers: { "webhook-id": "msg_1", "content-type": "application/json" } });
    expect(await lenient.post(`${base}/fail`, {}, "{}")).toMatchObject({ status: 500 });
  });

  it("does not follow a redirect", async () => {
    const before = seen.length;
    expect(await lenient.post(`${base}/moved`, {}, "{}")).toMatchObject({ status: 302 });
    expect(seen.slice(before).map((each) => each.path)).toEqual(["/moved"]);
  });

  it("gives up on a receiver that does not answer in time", async () => {
    const answer = await lenient.post(`${base}/hang`, {}, "{}");
    expect(answer).toMatchObject({ status: undefined, error: "no answer within 300 ms" });
  });

  it("checks the URL again at send time and never connects to a refused one (a name's address: outboundGuard.test.ts)", async () => {
    const strict = outboundPoster({ allowPrivate: false }, { timeoutMs: 300 });
    const before = seen.length;
    expect(await strict.post(`${base}/ok`, {}, "{}")).toMatchObject({ status: undefined, error: expect.stringContaining("url not allowed") });
    const port = new URL(base).port;
    expect(await strict.post(`https://127.0.0.1:${port}/ok`, {}, "{}")).toMatchObject({ status: undefined, error: expect.stringContaining("url not allowed") });
    expect(seen.length).toBe(before);
  });
});
