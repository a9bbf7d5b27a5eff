// The pickup of each giveaway: its rounds (one per winner), proposals, plan, handover and ending.
import type Database from "better-sqlite3";
import type { Round } from "../domain/pickup.ts";
import type { Projection } from "./projection.ts";

export const pickupProjection = {
  name: "pickup",
  schema: `
    CREATE TABLE IF NOT EXISTS pickup_rounds (
      giveaway_id TEXT NOT NULL, from_revision INTEGER NOT NULL, winner_id TEXT NOT NULL, until_revision INTEGER,
      started_at TEXT NOT NULL, end_reason TEXT, PRIMARY KEY (giveaway_id, from_revision));
    CREATE TABLE IF NOT EXISTS pickup_proposals (
      giveaway_id TEXT NOT NULL, proposal_id TEXT NOT NULL, revision INTEGER NOT NULL, proposed_by TEXT NOT NULL,
      from_at TEXT NOT NULL, to_at TEXT NOT NULL, place TEXT NOT NULL, note TEXT NOT NULL, proposed_at TEXT NOT NULL,
      status TEXT NOT NULL, answered_by TEXT, answered_at TEXT, PRIMARY KEY (giveaway_id, proposal_id));
    CREATE TABLE IF NOT EXISTS pickups (
      giveaway_id TEXT PRIMARY KEY, plan_proposal_id TEXT, agreed_at TEXT, reminded_at TEXT,
      handed_over_at TEXT, received_at TEXT, prize_declined_at TEXT, completed_at TEXT,
      cancelled_at TEXT, cancel_reason TEXT, read_only_from TEXT);
    -- The reminder scheduler asks for agreed plans not yet reminded.
    CREATE INDEX IF NOT EXISTS pickups_unreminded ON pickups (plan_proposal_id) WHERE reminded_at IS NULL AND plan_proposal_id IS NOT NULL;`,
  prepare(db) {
    const ensure = db.prepare("INSERT OR IGNORE INTO pickups (giveaway_id) VALUES (?)");
    const update = (columns: string) => db.prepare(`UPDATE pickups SET ${columns} WHERE giveaway_id = @giveawayId`);
    const openRound = db.prepare("INSERT OR IGNORE INTO pickup_rounds (giveaway_id, from_revision, winner_id, started_at) VALUES (?, ?, ?, ?)");
    const closeRound = db.prepare(
      "UPDATE pickup_rounds SET until_revision = @revision, end_reason = @reason WHERE giveaway_id = @giveawayId AND until_revision IS NULL",
    );
    // A giveaway drawn before this read model existed has no round row: the first round then
    // covers every revision before the redraw.
    const closeUnrecordedRound = db.prepare(
      `INSERT OR IGNORE INTO pickup_rounds (giveaway_id, from_revision, winner_id, until_revision, started_at, end_reason)
       SELECT @giveawayId, -1, @previousWinnerId, @revision, coalesce(drawn_at, @redrawnAt), @reason FROM giveaways WHERE id = @giveawayId`,
    );
    const propose = db.prepare(
      `INSERT OR IGNORE INTO pickup_proposals (giveaway_id, proposal_id, revision, proposed_by, from_at, to_at, place, note, proposed_at, status)
       VALUES (@giveawayId, @proposalId, @revision, @proposedBy, @from, @to, @place, @note, @proposedAt, 'open')`,
    );
    const supersede = db.prepare("UPDATE pickup_proposals SET status = 'superseded' WHERE giveaway_id = ? AND status = 'open'");
    const answer = db.prepare(
      `UPDATE pickup_proposals SET status = @status, answered_by = @by, answered_at = @at
       WHERE giveaway_id = @giveawayId AND proposal_id = @proposalId AND status = 'open'`,
    );
    const closeOpenProposals = db.prepare("UPDATE pickup_proposals SET status = 'superseded' WHERE giveaway_id = ? AND status = 'open'");
    const agree = update("plan_proposal_id = @proposalId, agreed_at = @at, reminded_at = NULL");
    const remind = update("reminded_at = @at");
    const handedOver = update("handed_over_at = coalesce(handed_over_at, @at)");
    const received = update("received_at = coalesce(received_at, @at)");
    const complete = update("completed_at = @at, read_only_from = @readOnlyFrom");
    const declinePrize = update("prize_declined_at = @at");
    const newRound = update("plan_proposal_id = NULL, agreed_at = NULL, reminded_at = NULL, handed_over_at = NULL, received_at = NULL, prize_declined_at = NULL");
    const cancel = update("cancelled_at = @at, cancel_reason = @reason, read_only_from = @readOnlyFrom");

    return (projected) => {
      if (projected.stream !== "giveaway") return;
      const { giveawayId, event } = projected;
      const revision = Number(projected.recorded.revision);
      switch (event.type) {
        case "DrawConducted":
          ensure.run(giveawayId);
          openRound.run(giveawayId, revision, event.data.winnerId, event.data.drawnAt);
          return;
        case "PickupProposed":
          supersede.run(giveawayId);
          propose.run({ giveawayId, revision, ...event.data });
          return;
        case "PickupProposalAccepted": {
          const { proposalId, acceptedBy, acceptedAt } = event.data;
          if (answer.run({ status: "accepted", by: acceptedBy, at: acceptedAt, giveawayId, proposalId }).changes > 0) {
            agree.run({ proposalId, at: acceptedAt, giveawayId });
          }
          return;
        }
        case "PickupProposalDeclined": {
          const { proposalId, declinedBy, declinedAt } = event.data;
          answer.run({ status: "declined", by: declinedBy, at: declinedAt, giveawayId, proposalId });
          return;
        }
        case "PickupReminderSent":
          remind.run({ at: event.data.remindedAt, giveawayId });
          return;
        case "HandoverConfirmed":
          ensure.run(giveawayId);
          (event.data.side === "handed_over" ? handedOver : received).run({ at: event.data.confirmedAt, giveawayId });
          return;
        case "GiveawayCompleted":
          ensure.run(giveawayId);
          closeOpenProposals.run(giveawayId);
          complete.run({ at: event.data.completedAt, readOnlyFrom: event.data.readOnlyFrom, giveawayId });
          return;
        case "PrizeDeclined":
          ensure.run(giveawayId);
          declinePrize.run({ at: event.data.declinedAt, giveawayId });
          return;
        case "WinnerRedrawn": {
          const { winnerId, previousWinnerId, reason, redrawnAt } = event.data;
          ensure.run(giveawayId);
          if (closeRound.run({ revision, reason, giveawayId }).changes === 0) {
            closeUnrecordedRound.run({ giveawayId, previousWinnerId, revision, redrawnAt, reason });
          }
          openRound.run(giveawayId, revision, winnerId, redrawnAt);
          closeOpenProposals.run(giveawayId);
          newRound.run({ giveawayId });
          return;
        }
        case "GiveawayCancelled":
          ensure.run(giveawayId);
          closeOpenProposals.run(giveawayId);
          cancel.run({ at: event.data.cancelledAt, reason: event.data.reason, readOnlyFrom: event.data.readOnlyFrom, giveawayId });
          return;
        default:
          return;
      }
    };
  },
  queries: pickupQueries,
} satisfies Projection;

export interface ProposalView {
  proposalId: string;
  giveawayId: string;
  /** The stream revision it was proposed at: its place among the messages. */
  revision: number;
  proposedBy: string;
  proposedByName: string;
  from: string;
  to: string;
  place: string;
  note: string;
  proposedAt: string;
  status: "open" | "accepted" | "declined" | "superseded";
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface PickupRow {
  planProposalId: string | null;
  agreedAt: string | null;
  remindedAt: string | null;
  handedOverAt: string | null;
  receivedAt: string | null;
  prizeDeclinedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  readOnlyFrom: string | null;
}

export interface PendingReminder {
  giveawayId: string;
  proposalId: string;
  from: string;
}

const selectProposal = `
  SELECT p.proposal_id AS proposalId, p.giveaway_id AS giveawayId, p.revision, p.proposed_by AS proposedBy,
         coalesce(u.username, '?') AS proposedByName, p.from_at AS "from", p.to_at AS "to", p.place, p.note,
         p.proposed_at AS proposedAt, p.status, p.answered_by AS answeredBy, p.answered_at AS answeredAt
  FROM pickup_proposals p LEFT JOIN users u ON u.id = p.proposed_by`;

export function pickupQueries(db: Database.Database) {
  const row = db.prepare<[string], PickupRow>(
    `SELECT plan_proposal_id AS planProposalId, agreed_at AS agreedAt, reminded_at AS remindedAt, handed_over_at AS handedOverAt,
            received_at AS receivedAt, prize_declined_at AS prizeDeclinedAt, completed_at AS completedAt,
            cancelled_at AS cancelledAt, cancel_reason AS cancelReason, read_only_from AS readOnlyFrom
     FROM pickups WHERE giveaway_id = ?`,
  );
  const rounds = db.prepare<[string], { winnerId: string; fromRevision: number; untilRevision: number | null; startedAt: string }>(
    `SELECT winner_id AS winnerId, from_revision AS fromRevision, until_revision AS untilRevision, started_at AS startedAt
     FROM pickup_rounds WHERE giveaway_id = ? ORDER BY from_revision`,
  );
  const drawnWinner = db.prepare<[string], { winnerId: string; drawnAt: string }>(
    "SELECT winner_id AS winnerId, drawn_at AS drawnAt FROM giveaways WHERE id = ? AND winner_id IS NOT NULL",
  );
  const proposals = db.prepare<[string], ProposalView>(`${selectProposal} WHERE p.giveaway_id = ? ORDER BY p.revision`);
  const proposal = db.prepare<[string, string], ProposalView>(`${selectProposal} WHERE p.giveaway_id = ? AND p.proposal_id = ?`);
  const pending = db.prepare<[], PendingReminder>(
    `SELECT k.giveaway_id AS giveawayId, k.plan_proposal_id AS proposalId, p.from_at AS "from"
     FROM pickups k JOIN pickup_proposals p ON p.giveaway_id = k.giveaway_id AND p.proposal_id = k.plan_proposal_id
     WHERE k.reminded_at IS NULL AND k.plan_proposal_id IS NOT NULL AND k.completed_at IS NULL AND k.cancelled_at IS NULL`,
  );
  return {
    pickupRow: (giveawayId: string): PickupRow | undefined => row.get(giveawayId),
    /** Oldest first; a giveaway drawn before rounds were recorded has one round from its start. */
    roundsOf(giveawayId: string): Round[] {
      const recorded = rounds.all(giveawayId).map(({ untilRevision, ...round }) => (untilRevision === null ? round : { ...round, untilRevision }));
      if (recorded.length > 0) return recorded;
      const drawn = drawnWinner.get(giveawayId);
      return drawn ? [{ winnerId: drawn.winnerId, fromRevision: -1, startedAt: drawn.drawnAt }] : [];
    },
    proposalsOf: (giveawayId: string): ProposalView[] => proposals.all(giveawayId),
    proposalById: (giveawayId: string, proposalId: string): ProposalView | undefined => proposal.get(giveawayId, proposalId),
    /** Agreed plans whose reminder has not been sent: what the scheduler arms after a start. */
    pendingReminders: (): PendingReminder[] => pending.all(),
  };
}
