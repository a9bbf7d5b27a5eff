import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutboundUrl, isPublicAddress, outboundAgents, outboundRefusedCode } from "../../src/outbound/outboundGuard.ts";

const strict = { allowPrivate: false };
const lenient = { allowPrivate: true };

describe("isPublicAddress", () => {
  it.each([
    ["127.0.0.1"], ["127.8.9.10"], ["10.1.2.3"], ["172.16.0.1"], ["172.31.255.255"], ["192.168.1.1"], ["0.0.0.0"], ["0.1.2.3"],
    ["169.254.169.254"], ["100.64.0.1"], ["224.0.0.1"], ["255.255.255.255"], ["192.0.2.1"], ["198.18.0.1"], ["240.0.0.1"],
    ["::1"], ["::"], ["fe80::1"], ["fe80::1%eth0"], ["fc00::1"], ["fd12:3456::1"], ["ff02::1"], ["fec0::1"],
    ["::ffff:127.0.0.1"], ["::ffff:10.0.0.1"], ["::ffff:7f00:1"], ["::127.0.0.1"], ["64:ff9b::7f00:1"], ["2002:7f00:1::"], ["2001:db8::1"],
    ["[::1]"], ["not an address"], [""], ["1.2.3"],
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([["11.22.33.44"], ["100.128.0.1"], ["172.32.0.1"], ["2a01:1::1"], ["::ffff:11.22.33.44"], ["[2a01:1::1]"]])("%s is public", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("checkOutboundUrl", () => {
  it("accepts an https URL on a name or a public address", () => {
    for (const text of ["https://hooks.example.invalid/in", "https://11.22.33.44:8443/x?y=1", "https://[2a01:1::1]/in"]) {
      const checked = checkOutboundUrl(text, strict);
      expect(checked.ok, text).toBe(true);
      if (checked.ok) expect(checked.url.href).toBe(new URL(text).href);
    }
  });

  it.each([
    ["http://hooks.example.invalid/in", "https"],
    ["ftp://hooks.example.invalid/in", "https"],
    ["javascript:alert(1)", "https"],
    ["hooks.example.invalid/in", "absolute"],
    ["", "absolute"],
    ["https://user:pw@hooks.example.invalid/in", "user name"],
    ["https://user@hooks.example.invalid/in", "user name"],
    ["https://127.0.0.1/in", "loopback"],
    ["https://127.1/in", "loopback"], // the URL parser's spelling of 127.0.0.1
    ["https://2130706433/in", "loopback"], // and this one's
    ["https://0x7f.0.0.1/in", "loopback"],
    ["https://0.0.0.0/in", "loopback"],
    ["https://10.0.0.5/in", "private"],
    ["https://192.168.0.1/in", "private"],
    ["https://169.254.169.254/latest/meta-data", "reserved"],
    ["https://[::1]/in", "loopback"],
    ["https://[::]/in", "loopback"],
    ["https://[::ffff:127.0.0.1]/in", "loopback"],
    ["https://[::ffff:a00:1]/in", "private"],
    ["https://[fe80::1]/in", "loopback"],
    ["https://[fc00::1]/in", "loopback"],
    ["https://[fdff:ffff::1]/in", "loopback"],
    ["https://localhost/in", "loopback"],
    ["https://LOCALHOST./in", "loopback"],
    ["https://api.localhost/in", "loopback"],
  ])("refuses %s", (text, why) => {
    const checked = checkOutboundUrl(text, strict);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toContain(why);
  });

  it("with allowPrivate, allows http and private or loopback hosts, but still no userinfo or other schemes", () => {
    for (const text of ["http://127.0.0.1:8080/in", "https://[::1]/in", "http://localhost/in", "http://10.0.0.5/in", "https://169.254.1.1/"]) {
      expect(checkOutboundUrl(text, lenient).ok, text).toBe(true);
    }
    expect(checkOutboundUrl("http://u:p@127.0.0.1/in", lenient).ok).toBe(false);
    expect(checkOutboundUrl("ftp://127.0.0.1/in", lenient).ok).toBe(false);
    expect(checkOutboundUrl("file:///etc/passwd", lenient).ok).toBe(false);
  });
});

describe("outboundAgents", () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((_request, response) => response.end("reached"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function get(hostname: string, agent: http.Agent): Promise<{ ok: true; body: string } | { ok: false; code: string | undefined }> {
    return new Promise((resolve) => {
      const request = http.get({ hostname, port, path: "/", agent, family: 4 }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ ok: true, body }));
      });
      request.on("error", (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code }));
    });
  }

  it("refuses to connect to a name that resolves to loopback, whatever the URL check said", async () => {
    const answer = await get("localhost", outboundAgents(strict).http);
    expect(answer).toEqual({ ok: false, code: outboundRefusedCode });
  });

  it("connects to the same name when private addresses are allowed", async () => {
    const answer = await get("localhost", outboundAgents(lenient).http);
    expect(answer).toEqual({ ok: true, body: "reached" });
  });

  it("gives https an agent with the same lookup", async () => {
    const failure = await new Promise<NodeJS.ErrnoException>((resolve) => {
      https.get({ hostname: "localhost", port, path: "/", agent: outboundAgents(strict).https, family: 4 }).on("error", resolve);
    });
    expect(failure.code).toBe(outboundRefusedCode);
  });
});
