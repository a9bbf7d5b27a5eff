// Webhook delivery attempts: operational records, not events (what a receiver answered is not a fact
// of the giveaway). In DATA_DIR/webhooks.db, shared by the processes on the data dir, the newest 100
// per endpoint; the platform reads them in GET /api/platform/webhooks.
import { join } from "node:path";
import Database from "better-sqlite3";

export const webhooksFileName = "webhooks.db";
/** Attempts kept per endpoint, the newest. */
export const attemptsKeptPerEndpoint = 100;

export interface WebhookAttempt {
  endpointId: string;
  webhookId: string;
  /** The webhook's type (message.sent, ...). */
  type: string;
  /** 1 for the first try of this delivery. */
  attempt: number;
  attemptedAt: string;
  /** The receiver's HTTP status; null when none came (refused, timed out, no connection). */
  status: number | null;
  latencyMs: number;
  /** delivered; retrying (failed, tried again later); given_up (failed past the schedule: the endpoint is disabled). */
  outcome: "delivered" | "retrying" | "given_up";
  error: string | null;
}

export interface WebhookDeliveries {
  record(attempt: WebhookAttempt): void;
  /** The endpoint's newest attempts first. */
  recent(endpointId: string, limit?: number): WebhookAttempt[];
  close(): void;
}

const schema = `
  CREATE TABLE IF NOT EXISTS webhook_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, endpoint_id TEXT NOT NULL, webhook_id TEXT NOT NULL, type TEXT NOT NULL,
    attempt INTEGER NOT NULL, attempted_at TEXT NOT NULL, status INTEGER, latency_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL, error TEXT);
  CREATE INDEX IF NOT EXISTS webhook_attempts_endpoint ON webhook_attempts (endpoint_id, seq);`;

interface Row {
  endpoint_id: string;
  webhook_id: string;
  type: string;
  attempt: number;
  attempted_at: string;
  status: number | null;
  latency_ms: number;
  outcome: WebhookAttempt["outcome"];
  error: string | null;
}

export function webhookDeliveriesFile(dataDir: string): string {
  return join(dataDir, webhooksFileName);
}

export function openWebhookDeliveries(file: string): WebhookDeliveries {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  // A record lost with the power is a line missing from a list, never a delivery lost.
  db.pragma("synchronous = NORMAL");
  db.exec(schema);
  const insert = db.prepare(
    "INSERT INTO webhook_attempts (endpoint_id, webhook_id, type, attempt, attempted_at, status, latency_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const trim = db.prepare(
    `DELETE FROM webhook_attempts WHERE endpoint_id = ? AND seq <= (
       SELECT seq FROM webhook_attempts WHERE endpoint_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
  );
  const newest = db.prepare<[string, number], Row>("SELECT * FROM webhook_attempts WHERE endpoint_id = ? ORDER BY seq DESC LIMIT ?");
  const record = db.transaction((attempt: WebhookAttempt) => {
    insert.run(attempt.endpointId, attempt.webhookId, attempt.type, attempt.attempt, attempt.attemptedAt, attempt.status, Math.round(attempt.latencyMs), attempt.outcome, attempt.error);
    trim.run(attempt.endpointId, attempt.endpointId, attemptsKeptPerEndpoint);
  });
  return {
    record: (attempt) => {
      if (db.open) record(attempt); // a delivery finishing after close: its line is lost, not the delivery
    },
    recent: (endpointId, limit = attemptsKeptPerEndpoint) =>
      newest.all(endpointId, limit).map((row) => ({
        endpointId: row.endpoint_id,
        webhookId: row.webhook_id,
        type: row.type,
        attempt: row.attempt,
        attemptedAt: row.attempted_at,
        status: row.status,
        latencyMs: row.latency_ms,
        outcome: row.outcome,
        error: row.error,
      })),
    close: () => {
      if (db.open) db.close();
    },
  };
}
