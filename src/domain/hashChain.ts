// Tamper evidence: each event of a giveaway stream carries a hash chained to the previous one's.
// Canonical form: SHA-256 over JSON with keys sorted at every depth, of
// { prevHash, streamId, revision, id, type, data, actorId, correlationId, causationId }.
import { createHash } from "node:crypto";

export const genesisHash = "0".repeat(64);

export interface ChainedFields {
  prevHash: string;
  streamId: string;
  /** As a decimal string, so bigints and numbers hash alike. */
  revision: string;
  id: string;
  type: string;
  data: unknown;
  actorId: string;
  correlationId: string;
  causationId: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function chainHash(fields: ChainedFields): string {
  return createHash("sha256").update(canonicalJson(fields)).digest("hex");
}
