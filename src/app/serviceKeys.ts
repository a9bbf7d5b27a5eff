// Service keys over the store: made and revoked by the CLI (src/cli/serviceKeys.ts), checked on every
// platform call by reading the key's own small stream, never a per-process cache, so a revocation holds
// at once on every process.
import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  decideCreateServiceKey, decideRevokeServiceKey, foldServiceKey, secretHashOf, serviceKeyEvents, serviceKeyNameOf, serviceKeySecret,
  type ServiceKeyDecision, type ServiceKeyState,
} from "../domain/serviceKeys.ts";
import { serviceKeyStream, serviceKeyStreamPrefix } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";

export interface ServiceKeyInfo {
  name: string;
  createdAt: string;
  revokedAt: string | undefined;
}

export interface ServiceKeys {
  /** The new key's secret, to be shown once; the store keeps only its hash. Throws ServiceKeyRefused. */
  create(name: string): Promise<string>;
  revoke(name: string): Promise<void>;
  list(): Promise<ServiceKeyInfo[]>;
  /** The key's name when `presented` is a live (created, not revoked) service key's secret. */
  verify(presented: string): Promise<string | undefined>;
}

/** A create or revoke the key's state does not allow, in words for the operator. */
export class ServiceKeyRefused extends Error {}

export function createServiceKeys(deps: { store: EventStore; newId: () => string; now: () => Date }): ServiceKeys {
  const { store, newId, now } = deps;

  async function stateOf(name: string): Promise<{ state: ServiceKeyState; expected: ExpectedRevision }> {
    try {
      const events = await store.readStream(serviceKeyStream(name));
      return { state: foldServiceKey(events.map((event) => serviceKeyEvents.parse(event.type, event.data))), expected: events.at(-1)!.revision };
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      return { state: foldServiceKey([]), expected: "no_stream" };
    }
  }

  async function write(name: string, decide: (state: ServiceKeyState) => ServiceKeyDecision): Promise<void> {
    const { state, expected } = await stateOf(name);
    const decision = decide(state);
    if (!decision.ok) throw new ServiceKeyRefused(decision.message);
    if (decision.events.length === 0) return;
    const metadata = { actorId: "cli:service-keys", correlationId: newId(), causationId: "" };
    // At the revision read: two operators creating one name at once cannot both succeed.
    await store.appendToStream(serviceKeyStream(name), decision.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata })), { expectedRevision: expected });
  }

  return {
    async create(name) {
      const secret = serviceKeySecret(name, randomBytes(32).toString("base64url"));
      await write(name, (state) => decideCreateServiceKey(state, name, secretHashOf(secret), now()));
      return secret;
    },
    revoke: (name) => write(name, (state) => decideRevokeServiceKey(state, name, now())),
    async list() {
      const events = await store.readAll({ streamPrefixes: [serviceKeyStreamPrefix] });
      const names = [...new Set(events.filter((event) => serviceKeyEvents.has(event.type)).map((event) => event.streamId.slice(serviceKeyStreamPrefix.length)))];
      const keys = await Promise.all(names.map(async (name) => ({ name, state: (await stateOf(name)).state })));
      return keys.flatMap(({ name, state }) => (state.createdAt === undefined ? [] : [{ name, createdAt: state.createdAt, revokedAt: state.revokedAt }]));
    },
    async verify(presented) {
      const name = serviceKeyNameOf(presented);
      if (name === undefined) return undefined;
      const { state } = await stateOf(name);
      if (state.secretHash === undefined || state.revokedAt !== undefined) return undefined;
      const matches = timingSafeEqual(Buffer.from(secretHashOf(presented), "hex"), Buffer.from(state.secretHash, "hex"));
      return matches ? name : undefined;
    },
  };
}
