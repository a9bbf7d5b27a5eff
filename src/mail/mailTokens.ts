// The signed tokens e-mail carries: the verification link, the one-click unsubscribe and the reply
// address (reply+<token>@MAIL_REPLY_DOMAIN). One format for the three: a purpose, an expiry, what it
// names, and an HMAC-SHA256 (node:crypto) with a key derived from the JWT secret, so a token of one
// purpose is never taken for another and none is a session token. Lower-case hex: a reply address
// survives mail systems that change the case of an address.
import { createHmac, timingSafeEqual } from "node:crypto";
import { parse as uuidParse, stringify as uuidStringify } from "uuid";

export type MailTokenClaims =
  | { purpose: "verify"; userId: string; address: string }
  | { purpose: "unsubscribe"; userId: string }
  | { purpose: "reply"; userId: string; giveawayId: string };

export type MailTokenPurpose = MailTokenClaims["purpose"];

export type CheckedMailToken<P extends MailTokenPurpose> = (Extract<MailTokenClaims, { purpose: P }> & { expiresAt: Date }) | undefined;

const purposeByte: Record<MailTokenPurpose, number> = { verify: 1, unsubscribe: 2, reply: 3 };
const macBytes = 10;
/** purpose, expiry (seconds, u32), user id. */
const headBytes = 1 + 4 + 16;
/** The longest token: the head, a 254-byte address, the MAC. */
const maxBytes = headBytes + 254 * 4 + macBytes;

/** How long each kind of token works. */
export const mailTokenLifetimeMs: Record<MailTokenPurpose, number> = {
  verify: 2 * 24 * 3600_000,
  unsubscribe: 365 * 24 * 3600_000,
  reply: 30 * 24 * 3600_000,
};

export interface MailTokens {
  sign(claims: MailTokenClaims, now: Date): string;
  /** The claims of a token of that purpose, or undefined: malformed, forged, of another purpose, or expired. */
  check<P extends MailTokenPurpose>(token: string, purpose: P, now: Date): CheckedMailToken<P>;
}

export function createMailTokens(secret: string): MailTokens {
  const key = createHmac("sha256", secret).update("handoff mail tokens v1").digest();
  const mac = (body: Buffer) => createHmac("sha256", key).update(body).digest().subarray(0, macBytes);
  return {
    sign(claims, now) {
      const head = Buffer.alloc(headBytes);
      head.writeUInt8(purposeByte[claims.purpose], 0);
      head.writeUInt32BE(Math.floor((now.getTime() + mailTokenLifetimeMs[claims.purpose]) / 1000), 1);
      Buffer.from(uuidParse(claims.userId)).copy(head, 5);
      const rest =
        claims.purpose === "verify" ? Buffer.from(claims.address, "utf8") : claims.purpose === "reply" ? Buffer.from(uuidParse(claims.giveawayId)) : Buffer.alloc(0);
      const body = Buffer.concat([head, rest]);
      return Buffer.concat([body, mac(body)]).toString("hex");
    },
    check<P extends MailTokenPurpose>(token: string, purpose: P, now: Date): CheckedMailToken<P> {
      if (typeof token !== "string" || token.length > maxBytes * 2 || token.length < (headBytes + macBytes) * 2 || !/^[0-9a-fA-F]+$/.test(token) || token.length % 2 !== 0) return undefined;
      const bytes = Buffer.from(token.toLowerCase(), "hex");
      const body = bytes.subarray(0, bytes.length - macBytes);
      if (!timingSafeEqual(mac(body), bytes.subarray(bytes.length - macBytes))) return undefined;
      if (body.readUInt8(0) !== purposeByte[purpose]) return undefined;
      const expiresAt = new Date(body.readUInt32BE(1) * 1000);
      if (expiresAt.getTime() <= now.getTime()) return undefined;
      const userId = uuidStringify(body, 5);
      const rest = body.subarray(headBytes);
      let claims: MailTokenClaims;
      if (purpose === "verify") claims = { purpose, userId, address: rest.toString("utf8") };
      else if (purpose === "reply") {
        if (rest.length !== 16) return undefined;
        claims = { purpose, userId, giveawayId: uuidStringify(rest) };
      } else {
        if (rest.length !== 0) return undefined;
        claims = { purpose: "unsubscribe", userId };
      }
      return { ...claims, expiresAt } as unknown as CheckedMailToken<P>;
    },
  };
}
