// A user's e-mail facts folded from their stream, and the decisions on them (src/domain/emailAddresses.ts).
import { describe, expect, it } from "vitest";
import { decideEmailRequest, decideVerification, digestAddress, foldEmailState } from "../../src/domain/emailAddresses.ts";
import type { UserEvent } from "../../src/domain/events.ts";

const userId = "bbbbbbbb-0000-4000-8000-000000000001";
const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const at = "2026-12-05T10:00:00.000Z";
const now = new Date(at);
const requested = (address: string): UserEvent => ({ type: "EmailAddressRequested", data: { userId, address, requestedAt: at } });
const verified = (address: string): UserEvent => ({ type: "EmailAddressVerified", data: { userId, address, verifiedAt: at } });

describe("e-mail addresses", () => {
  it("an address asked for waits for its link; the link makes it the one digests go to", () => {
    const pending = foldEmailState([requested("bob@example.invalid")]);
    expect(pending).toMatchObject({ pending: { address: "bob@example.invalid" }, verified: undefined });
    expect(digestAddress(pending)).toBeUndefined();
    const done = foldEmailState([requested("bob@example.invalid"), verified("bob@example.invalid")]);
    expect(done).toMatchObject({ pending: undefined, verified: "bob@example.invalid" });
    expect(digestAddress(done)).toBe("bob@example.invalid");
  });

  it("a platform token's email claim counts as verified", () => {
    const profile: UserEvent = { type: "PlatformProfileRecorded", data: { userId, sub: "p-1", name: "Bob", email: "bob@platform.example.invalid", roles: [], recordedAt: at } };
    expect(digestAddress(foldEmailState([profile]))).toBe("bob@platform.example.invalid");
  });

  it("e-mail off in the notification settings (the one-click unsubscribe) keeps the address but sends nothing", () => {
    const off: UserEvent = { type: "NotificationSettingsChanged", data: { userId, push: true, email: false, preview: true, changedAt: at } };
    const state = foldEmailState([verified("bob@example.invalid"), off]);
    expect(state).toMatchObject({ verified: "bob@example.invalid", enabled: false });
    expect(digestAddress(state)).toBeUndefined();
  });

  it("remembers how far each conversation's last digest went", () => {
    const sent = (upToRevision: number): UserEvent => ({ type: "EmailDigestSent", data: { userId, giveawayId, upToRevision, messageCount: 1, sentAt: at } });
    expect(foldEmailState([sent(7), sent(4)]).digestedUpTo).toEqual({ [giveawayId]: 7 });
  });

  it("asking: not an address is refused, the verified one again changes nothing, a pending one is mailed again", () => {
    expect(decideEmailRequest(foldEmailState([]), userId, "not an address", now)).toMatchObject({ ok: false, code: "invalid_email" });
    expect(decideEmailRequest(foldEmailState([verified("bob@example.invalid")]), userId, " BOB@example.invalid ", now)).toEqual({ ok: true, events: [] });
    expect(decideEmailRequest(foldEmailState([requested("bob@example.invalid")]), userId, "bob@example.invalid", now)).toEqual({ ok: true, events: [requested("bob@example.invalid")] });
  });

  it("verifying: only the address last asked for; the verified one again is a second click; a replaced one is stale", () => {
    const state = foldEmailState([requested("old@example.invalid"), requested("new@example.invalid")]);
    expect(decideVerification(state, userId, "new@example.invalid", now)).toEqual({ ok: true, events: [verified("new@example.invalid")] });
    expect(decideVerification(state, userId, "old@example.invalid", now)).toMatchObject({ ok: false, code: "stale_link" });
    expect(decideVerification(foldEmailState([requested("new@example.invalid"), verified("new@example.invalid")]), userId, "new@example.invalid", now)).toEqual({ ok: true, events: [] });
  });
});

describe("the platform's address", () => {
  it("a profile naming the same address again leaves one the user chose since; a new one replaces it", () => {
    const profile = (email: string, name: string): UserEvent => ({ type: "PlatformProfileRecorded", data: { userId, sub: "p-1", name, email, roles: [], recordedAt: at } });
    const chosen = foldEmailState([profile("bob@platform.example.invalid", "Bob"), requested("bob@home.example.invalid"), verified("bob@home.example.invalid")]);
    expect(foldEmailState([profile("bob@platform.example.invalid", "Bobby")], chosen).verified).toBe("bob@home.example.invalid");
    expect(foldEmailState([profile("robert@platform.example.invalid", "Bobby")], chosen).verified).toBe("robert@platform.example.invalid");
  });
});
