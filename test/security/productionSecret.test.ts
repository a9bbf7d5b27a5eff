// NODE_ENV=production asks more of JWT_SECRET: 32+ characters, not a repeated character, no
// placeholder. Elsewhere 16 characters still do, and unset the generated secret stays the default.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const production = (secret: string | undefined) => () => loadConfig({ NODE_ENV: "production", ...(secret !== undefined && { JWT_SECRET: secret }) });

describe("JWT_SECRET in production", () => {
  it("refuses a secret shorter than 32 characters", () => {
    expect(production("0123456789abcdefXYZ")).toThrow(/JWT_SECRET: must be at least 32 characters in production/);
  });

  it("refuses one character repeated, however long", () => {
    expect(production("a".repeat(64))).toThrow(/JWT_SECRET: must not be a repeated character/);
  });

  it.each(["changeme-changeme-changeme-changeme", "MY-SECRET-kq83hd72kd93hf62kd83jf72", "your-secret-kq83hd72kd93hf62kd83jf72k", "kq83hd72kd93ChangeMe62kd83jf72kd83"])(
    "refuses a placeholder, in any case and anywhere in it: %s",
    (secret) => {
      expect(production(secret)).toThrow(ConfigError);
      expect(production(secret)).toThrow(/JWT_SECRET: must not contain a placeholder/);
    },
  );

  it("takes 32 random characters", () => {
    expect(loadConfig({ NODE_ENV: "production", JWT_SECRET: "q3Zr8T1vXw0pLm5Nk7Bj2Hf9Dc4Gs6Ya" }).jwtSecret).toBe("q3Zr8T1vXw0pLm5Nk7Bj2Hf9Dc4Gs6Ya");
  });

  it("keeps the generated secret as the default when unset", () => {
    expect(production(undefined)().jwtSecret).toBeUndefined();
  });

  it("still takes 16 characters outside production", () => {
    expect(loadConfig({ JWT_SECRET: "0123456789abcdef" }).jwtSecret).toBe("0123456789abcdef");
    expect(loadConfig({ NODE_ENV: "development", JWT_SECRET: "a".repeat(16) }).jwtSecret).toBe("a".repeat(16));
  });
});
