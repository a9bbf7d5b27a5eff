import { describe, expect, it } from "vitest";
import { parseUserEvent } from "../../src/domain/events.ts";
import { checkPassword, checkUsername, decideRegisterUser, passwordPolicy } from "../../src/domain/users.ts";
import { alice, at, now } from "./fixtures.ts";

const register = (username: string) =>
  ({ type: "RegisterUser", userId: alice, username, passwordHash: "scrypt$salt$hash", now }) as const;

describe("RegisterUser", () => {
  it("registers the user, then reserves the name (the commit point), keeping the typed case", () => {
    const decision = decideRegisterUser(register("Alice_B-01"));
    expect(decision).toEqual({
      ok: true,
      events: [
        {
          type: "UserRegistered",
          data: { userId: alice, username: "Alice_B-01", passwordHash: "scrypt$salt$hash", registeredAt: at },
        },
        { type: "UsernameReserved", data: { userId: alice, username: "Alice_B-01" } },
      ],
    });
    for (const event of decision.ok ? decision.events : []) {
      expect(parseUserEvent(event.type, JSON.parse(JSON.stringify(event.data)))).toEqual(event);
    }
  });

  it.each(["abc", "a".repeat(32), "ALL_CAPS", "with-dash", "0123"])("accepts %s", (username) => {
    expect(decideRegisterUser(register(username)).ok).toBe(true);
  });

  it.each(["ab", "a".repeat(33), "has space", " alice", "dot.ted", "émile", "", "a/b"])("refuses %j", (username) => {
    expect(decideRegisterUser(register(username))).toMatchObject({ ok: false, error: { code: "invalid_username" } });
    expect(checkUsername(username)?.code).toBe("invalid_username");
  });
});

describe("password policy", () => {
  it("accepts 8 to 200 characters", () => {
    expect(passwordPolicy).toEqual({ minLength: 8, maxLength: 200 });
    expect(checkPassword("12345678")).toBeNull();
    expect(checkPassword("p".repeat(200))).toBeNull();
  });

  it("refuses shorter or longer", () => {
    expect(checkPassword("1234567")?.code).toBe("invalid_password");
    expect(checkPassword("")?.code).toBe("invalid_password");
    expect(checkPassword("p".repeat(201))?.code).toBe("invalid_password");
  });
});
