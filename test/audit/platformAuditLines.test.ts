// The platform's own facts as the audit shows them: a changed title or giver, a withdrawn entry, a
// redraw the platform decided (never "did not answer in time").
import { describe, expect, it } from "vitest";
import { toAuditLine, userIdsOf } from "../../src/audit/auditLine.ts";
import type { RecordedEvent } from "../../src/eventstore/port.ts";
import { viewOfLine } from "../../src/http/audit/auditLineView.ts";

const ann = "1a2b3c4d-1111-4aaa-8bbb-000000000001";
const bo = "1a2b3c4d-2222-4aaa-8bbb-000000000002";
const cy = "1a2b3c4d-3333-4aaa-8bbb-000000000003";
const at = "2026-01-02T03:04:05.000Z";
const names = new Map([[ann, "ann"], [bo, "bo"], [cy, "cy"]]);

const recorded = (type: string, data: unknown, revision = 1): RecordedEvent => ({
  id: "00000000-0000-4000-8000-000000000001",
  type,
  data,
  metadata: { actorId: "platform:shop", correlationId: "r", causationId: "r", prevHash: "0", hash: "0" },
  streamId: "giveaway-x",
  revision: BigInt(revision),
  position: 1n,
  created: new Date(at),
});

const what = (type: string, data: unknown) => viewOfLine(toAuditLine(recorded(type, data)), names);

describe("the platform's facts in the audit", () => {
  it("says what changed, only that, and names the new giver", () => {
    expect(what("GiveawayDetailsChanged", { title: "Red bike", changedAt: at })).toMatchObject({ type: "GiveawayDetailsChanged", what: "changed the title to “Red bike”" });
    expect(what("GiveawayDetailsChanged", { description: "", giverId: cy, changedAt: at }).what).toBe("changed the description, the giver to cy");
    expect(userIdsOf(toAuditLine(recorded("GiveawayDetailsChanged", { giverId: cy, changedAt: at })))).toContain(cy);
  });

  it("shows a withdrawn entry under its entrant, and a platform redraw as the platform's decision", () => {
    expect(what("EntryWithdrawn", { userId: bo, withdrawnAt: at })).toMatchObject({ who: "bo", what: "withdrew their entry" });
    const redrawn = what("WinnerRedrawn", { winnerId: cy, previousWinnerId: bo, reason: "platform", redrawnAt: at }).what;
    expect(redrawn).toContain("bo was replaced by the platform's decision");
    expect(redrawn).not.toContain("did not answer in time");
  });
});
