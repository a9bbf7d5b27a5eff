// The mail settings: SMTP_URL needs PUBLIC_URL (the links) and MAIL_FROM; replies need a port and a
// domain together; a start that lacks them stops with a message naming the variable.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const base = { DATA_DIR: "/nonexistent-handoff-config-test", JWT_SECRET: "test-secret-test-secret-0123456789" };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("mail configuration", () => {
  it("refuses SMTP_URL without PUBLIC_URL, saying why", () => {
    expect(refusal({ SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "chat@example.invalid" })).toMatch(/PUBLIC_URL: is required with SMTP_URL/);
  });

  it("refuses SMTP_URL without MAIL_FROM, and a URL that is not smtp", () => {
    expect(refusal({ SMTP_URL: "smtp://127.0.0.1:2525", PUBLIC_URL: "https://chat.example.invalid" })).toMatch(/MAIL_FROM: is required with SMTP_URL/);
    expect(refusal({ SMTP_URL: "http://127.0.0.1:2525", MAIL_FROM: "chat@example.invalid", PUBLIC_URL: "https://chat.example.invalid" })).toMatch(/SMTP_URL/);
  });

  it("refuses a reply port without a reply domain, and the other way round", () => {
    expect(refusal({ SMTP_INBOUND_PORT: "2525" })).toMatch(/MAIL_REPLY_DOMAIN: SMTP_INBOUND_PORT and MAIL_REPLY_DOMAIN come together/);
    expect(refusal({ MAIL_REPLY_DOMAIN: "reply.example.invalid" })).toMatch(/SMTP_INBOUND_PORT: SMTP_INBOUND_PORT and MAIL_REPLY_DOMAIN come together/);
  });

  it("takes a whole setting, and none at all", () => {
    const config = loadConfig({ ...base, SMTP_URL: "smtps://user:pa%40ss@127.0.0.1:465", MAIL_FROM: "handoff <chat@example.invalid>", PUBLIC_URL: "https://chat.example.invalid/", SMTP_INBOUND_PORT: "0", MAIL_REPLY_DOMAIN: "Reply.Example.invalid" });
    expect(config.mail).toEqual({
      outbound: { smtpUrl: "smtps://user:pa%40ss@127.0.0.1:465", from: "handoff <chat@example.invalid>", publicOrigin: "https://chat.example.invalid" },
      digestDelayMs: 900_000,
      inbound: { port: 0, replyDomain: "reply.example.invalid" },
    });
    expect(loadConfig(base).mail).toEqual({ outbound: undefined, digestDelayMs: 900_000, inbound: undefined });
  });
});
