// Service keys: the platform's backend calls /api/platform with one. Each key name has a stream of its
// own (servicekey-<name>): created once with the SHA-256 of its secret (never the secret), and revoked
// for good. Pure: the secret, its hash and the time come from the caller.
import { createHash } from "node:crypto";
import { z } from "zod";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

/** Lower-case letters, digits and '-': no '_', which separates the name from the secret in a key. */
export const ServiceKeyNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be 1 to 40 lower-case letters, digits or '-', starting with a letter or digit");

const instant = z.iso.datetime();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const ServiceKeyCreatedSchema = z.object({ name: z.string().min(1), secretHash: sha256Hex, createdAt: instant });
export const ServiceKeyRevokedSchema = z.object({ name: z.string().min(1), revokedAt: instant });

export const serviceKeyEvents = eventFamily("service key", {
  ServiceKeyCreated: ServiceKeyCreatedSchema,
  ServiceKeyRevoked: ServiceKeyRevokedSchema,
});

export type ServiceKeyEvent = EventsOf<typeof serviceKeyEvents.schemas>;

/** The secret as presented: "hsk_<name>_<43 base64url characters>" (256 random bits). */
const secretShape = /^hsk_([a-z0-9][a-z0-9-]{0,39})_([A-Za-z0-9_-]{43})$/;
export const serviceKeyPrefix = "hsk_";

export function serviceKeySecret(name: string, randomPart: string): string {
  return `${serviceKeyPrefix}${name}_${randomPart}`;
}

/** The key's name (its stream), or undefined when the text is not shaped like a service key. */
export function serviceKeyNameOf(secret: string): string | undefined {
  return secretShape.exec(secret)?.[1];
}

export function secretHashOf(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface ServiceKeyState {
  readonly name: string | undefined;
  readonly secretHash: string | undefined;
  readonly createdAt: string | undefined;
  readonly revokedAt: string | undefined;
}

export function foldServiceKey(events: Iterable<ServiceKeyEvent>): ServiceKeyState {
  let state: ServiceKeyState = { name: undefined, secretHash: undefined, createdAt: undefined, revokedAt: undefined };
  for (const event of events) {
    if (event.type === "ServiceKeyCreated" && state.createdAt === undefined) state = { ...state, name: event.data.name, secretHash: event.data.secretHash, createdAt: event.data.createdAt };
    else if (event.type === "ServiceKeyRevoked" && state.revokedAt === undefined) state = { ...state, revokedAt: event.data.revokedAt };
  }
  return state;
}

export type ServiceKeyDecision = { ok: true; events: ServiceKeyEvent[] } | { ok: false; message: string };

/** A name is used once: a revoked key's name stays taken, so its history never mixes with another key's. */
export function decideCreateServiceKey(state: ServiceKeyState, name: string, secretHash: string, now: Date): ServiceKeyDecision {
  const checked = ServiceKeyNameSchema.safeParse(name);
  if (!checked.success) return { ok: false, message: `a key name ${checked.error.issues[0]?.message ?? "is not valid"}` };
  if (state.createdAt !== undefined) return { ok: false, message: `a service key named ${name} already exists${state.revokedAt ? " (revoked)" : ""}: choose another name` };
  return { ok: true, events: [{ type: "ServiceKeyCreated", data: { name, secretHash, createdAt: now.toISOString() } }] };
}

/** Revoking twice is no error: the key is revoked either way. */
export function decideRevokeServiceKey(state: ServiceKeyState, name: string, now: Date): ServiceKeyDecision {
  if (state.createdAt === undefined) return { ok: false, message: `no service key named ${name.slice(0, 60)}` };
  if (state.revokedAt !== undefined) return { ok: true, events: [] };
  return { ok: true, events: [{ type: "ServiceKeyRevoked", data: { name, revokedAt: now.toISOString() } }] };
}
