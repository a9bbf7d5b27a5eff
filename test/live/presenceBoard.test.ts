// The presence board: local connections counted, other processes' announcements until they expire.
import { describe, expect, it } from "vitest";
import { PresenceBoard } from "../../src/live/presenceBoard.ts";

function board() {
  const changes: string[] = [];
  const local: string[] = [];
  const presence = new PresenceBoard({
    onChange: (g, u, online) => changes.push(`${g}/${u} ${online ? "on" : "off"}`),
    onLocalChange: (g, u, online) => local.push(`${g}/${u} ${online ? "on" : "off"}`),
  });
  return { presence, changes, local };
}

describe("presence board", () => {
  it("counts this process's connections: online from the first, offline after the last", () => {
    const { presence, changes, local } = board();
    presence.join("g", "ann", 0);
    presence.join("g", "ann", 0);
    presence.leave("g", "ann", 0);
    expect(presence.isOnline("g", "ann", 0)).toBe(true);
    presence.leave("g", "ann", 0);
    expect(presence.isOnline("g", "ann", 0)).toBe(false);
    expect(changes).toEqual(["g/ann on", "g/ann off"]);
    expect(local).toEqual(["g/ann on", "g/ann off"]);
  });

  it("another process's announcement holds a user online until it expires or says offline", () => {
    const { presence, changes } = board();
    presence.announce({ giveawayId: "g", userId: "bob", instanceId: "b", online: true, expiresAt: 1000 }, 0);
    expect(presence.isOnline("g", "bob", 500)).toBe(true);
    presence.announce({ giveawayId: "g", userId: "bob", instanceId: "b", online: true, expiresAt: 2000 }, 900); // renewed
    presence.sweep(1500);
    expect(changes).toEqual(["g/bob on"]);
    presence.sweep(2000); // the process died: nobody renewed
    expect(presence.isOnline("g", "bob", 2000)).toBe(false);
    expect(changes).toEqual(["g/bob on", "g/bob off"]);
    presence.announce({ giveawayId: "g", userId: "bob", instanceId: "b", online: true, expiresAt: 5000 }, 3000);
    presence.announce({ giveawayId: "g", userId: "bob", instanceId: "b", online: false, expiresAt: 5000 }, 3100);
    expect(changes).toEqual(["g/bob on", "g/bob off", "g/bob on", "g/bob off"]);
  });

  it("a user online here and elsewhere stays online until both are gone, and remote news never echoes back", () => {
    const { presence, changes, local } = board();
    presence.join("g", "ann", 0);
    presence.announce({ giveawayId: "g", userId: "ann", instanceId: "b", online: true, expiresAt: 9000 }, 0);
    presence.leave("g", "ann", 10);
    expect(presence.isOnline("g", "ann", 10)).toBe(true);
    presence.announce({ giveawayId: "g", userId: "ann", instanceId: "b", online: false, expiresAt: 9000 }, 20);
    expect(changes).toEqual(["g/ann on", "g/ann off"]);
    expect(local).toEqual(["g/ann on", "g/ann off"]);
  });
});
