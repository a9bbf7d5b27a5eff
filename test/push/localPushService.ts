// A push service for the tests (RFC 8030), a real HTTP server on 127.0.0.1, and a browser's side of
// a subscription: its P-256 key pair and auth secret, with which the test decrypts what the server
// pushed (RFC 8291, aes128gcm, by hand with node:crypto: ECDH, HKDF, AES-128-GCM) and checks the
// VAPID JWT (RFC 8292) against the server's public key. Test code: nothing here is used by src/.
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedPush {
  /** The subscription's name (the endpoint's last path segment). */
  name: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export interface LocalPushService {
  /** An endpoint on this service; pushes to it are kept under `name`. */
  endpoint(name: string): string;
  readonly received: ReceivedPush[];
  /** From now on, pushes to `name` are answered with `status` (201 until told). */
  answer(name: string, status: number): void;
  close(): Promise<void>;
}

export async function startLocalPushService(): Promise<LocalPushService> {
  const received: ReceivedPush[] = [];
  const answers = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const name = decodeURIComponent((req.url ?? "").split("/").pop() ?? "");
      received.push({ name, headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = answers.get(name) ?? 201;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: (name) => `http://127.0.0.1:${port}/push/${encodeURIComponent(name)}`,
    received,
    answer: (name, status) => void answers.set(name, status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface BrowserKeys {
  /** What PushSubscription.toJSON().keys gives: the public key and the auth secret, base64url. */
  keys: { p256dh: string; auth: string };
  /** The push's plain text: an aes128gcm body decrypted with this browser's private key. */
  decrypt(body: Buffer): string;
}

/** A browser's keys for one subscription. */
export function browserKeys(): BrowserKeys {
  const ecdh = createECDH("prime256v1");
  const publicKey = ecdh.generateKeys();
  const authSecret = randomBytes(16);
  return {
    keys: { p256dh: publicKey.toString("base64url"), auth: authSecret.toString("base64url") },
    decrypt(body) {
      // The header (RFC 8188): salt (16), record size (4), key id length (1), key id: the sender's public key.
      const salt = body.subarray(0, 16);
      const recordSize = body.readUInt32BE(16);
      const idLength = body[20]!;
      const senderKey = body.subarray(21, 21 + idLength);
      const record = body.subarray(21 + idLength);
      if (record.length > recordSize) throw new Error("more than one record: not what a short push needs");
      const shared = ecdh.computeSecret(senderKey);
      const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), publicKey, senderKey]);
      const ikm = Buffer.from(hkdfSync("sha256", shared, authSecret, keyInfo, 32));
      const contentKey = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
      const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
      const decipher = createDecipheriv("aes-128-gcm", contentKey, nonce);
      decipher.setAuthTag(record.subarray(record.length - 16));
      const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
      // The last record ends with the delimiter 2, then zeros.
      let end = padded.length - 1;
      while (end >= 0 && padded[end] === 0) end--;
      if (padded[end] !== 2) throw new Error("no last-record delimiter");
      return padded.subarray(0, end).toString("utf8");
    },
  };
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>`: the key is `publicKey`, the ES256 signature verifies with it; returns the claims. */
export function verifyVapid(authorization: string | undefined, publicKey: string): VapidClaims {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!match) throw new Error(`not a VAPID Authorization header: ${authorization}`);
  const [, jwt, key] = match as unknown as [string, string, string];
  if (key !== publicKey) throw new Error("the VAPID key is not the server's");
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "ES256") throw new Error("not ES256");
  const point = Buffer.from(key, "base64url");
  const verifier = createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") }, format: "jwk" });
  const valid = verify("sha256", Buffer.from(`${header}.${payload}`), { key: verifier, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  if (!valid) throw new Error("the VAPID signature does not verify");
  return JSON.parse(Buffer.from(payload, "base64url").toString()) as VapidClaims;
}
