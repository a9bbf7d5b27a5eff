// The outbox as `npm run projections -- status` shows it: its checkpoint and the deliveries waiting
// in it, read from reactors.db; nothing when it never ran; STOPPED with the event it stopped on.
import { afterAll, describe, expect, it } from "vitest";
import { describeWebhookOutbox, readWebhookOutboxStatus } from "../../src/app/webhookOutboxStatus.ts";
import { openReactorState, reactorStateFile } from "../../src/reactors/reactorState.ts";
import { webhookOutboxName } from "../../src/reactors/webhookOutboxReactor.ts";
import { makeTempDir } from "../support/tempDir.ts";

const dir = makeTempDir("webhook-outbox-status");
afterAll(() => dir.remove());

describe("the webhook outbox's status line", () => {
  it("says nothing without reactors.db or before the outbox ran, then its checkpoint and waiting deliveries, or where it stopped", () => {
    expect(readWebhookOutboxStatus(dir.path)).toBeUndefined();
    const db = openReactorState(reactorStateFile(dir.path));
    try {
      expect(readWebhookOutboxStatus(dir.path)).toBeUndefined();
      db.prepare("INSERT INTO reactor_checkpoints (name, position) VALUES (?, ?)").run(webhookOutboxName, "1234");
      const due = Date.parse("2026-12-05T10:00:00.000Z");
      for (const key of ["a/1", "a/2"]) db.prepare("INSERT INTO reactor_wakeups (reactor, key, due_at, payload) VALUES (?, ?, ?, '{}')").run(webhookOutboxName, key, due);
      const status = readWebhookOutboxStatus(dir.path)!;
      expect(status).toMatchObject({ position: 1234n, waiting: 2, failure: undefined });
      expect(describeWebhookOutbox(status)).toBe("running webhook-outbox (webhook outbox): checkpoint 1234, 2 deliveries waiting (next due 2026-12-05T10:00:00.000Z)");

      db.prepare(
        `UPDATE reactor_checkpoints SET failed_position = '1240', failed_stream = 'giveaway-x', failed_revision = '7', failed_type = 'MessageSent',
           failed_event_id = 'e1', failed_error = 'store unreachable', failed_at = '2026-12-05T10:01:00.000Z', attempts = 5 WHERE name = ?`,
      ).run(webhookOutboxName);
      expect(describeWebhookOutbox(readWebhookOutboxStatus(dir.path)!)).toMatch(/^STOPPED reactor webhook-outbox stopped at giveaway-x revision 7 \(MessageSent/);
    } finally {
      db.close();
    }
  });
});
