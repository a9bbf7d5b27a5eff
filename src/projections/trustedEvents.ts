// The rebuild's parse path: events were checked against the catalogue when they were appended, so a
// rebuild does not check them again. It still produces exactly what the catalogue's parse returns
// (trims, defaults, unknown keys dropped, keys in the schema's order) by walking each schema once
// and keeping only the parts that change a value. A schema with a part this walk does not know is
// parsed by zod as before.
import type { z } from "zod";
import { giveawayEvents, isGiveawayEventType, isUserEventType, parseGiveawayEvent, parseUserEvent, userEvents } from "../domain/events.ts";
import { giveawayIdFromStream, userStreamPrefix } from "../domain/streams.ts";
import type { RecordedEvent } from "../eventstore/port.ts";
import type { ProjectedEvent } from "./projection.ts";

type Normalize = (value: unknown) => unknown;

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; tx?: (value: unknown) => unknown } } }[];
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  defaultValue?: unknown;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** What zod's parse does to a valid value of this schema, without the checks; undefined: not known here. */
export function compileNormalizer(schema: z.ZodType): Normalize | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case "string": {
      // Checks are skipped; "overwrite" checks (trim) change the value and are kept.
      const writes = (def.checks ?? []).flatMap((check) => (check._zod.def.check === "overwrite" && check._zod.def.tx ? [check._zod.def.tx] : []));
      if ((def.checks ?? []).some((check) => check._zod.def.check === "overwrite" && !check._zod.def.tx)) return undefined;
      if (writes.length === 0) return identity;
      return (value) => writes.reduce((current, write) => write(current), value);
    }
    case "number":
    case "boolean":
    case "literal":
    case "enum":
      return (def.checks ?? []).some((check) => check._zod.def.check === "overwrite") ? undefined : identity;
    case "optional": {
      const inner = def.innerType && compileNormalizer(def.innerType);
      if (!inner) return undefined;
      return inner === identity ? identity : (value) => (value === undefined ? undefined : inner(value));
    }
    case "default": {
      const inner = def.innerType && compileNormalizer(def.innerType);
      if (!inner) return undefined;
      // zod's default short-circuits: an absent value becomes the default, not parsed further.
      return (value) => (value === undefined ? def.defaultValue : inner(value));
    }
    case "array": {
      const element = def.element && compileNormalizer(def.element);
      if (!element) return undefined;
      return element === identity ? (value) => (value as unknown[]).slice() : (value) => (value as unknown[]).map(element);
    }
    case "object": {
      if (!def.shape) return undefined;
      const fields: [string, Normalize][] = [];
      for (const [key, field] of Object.entries(def.shape)) {
        const normalize = compileNormalizer(field);
        if (!normalize) return undefined;
        fields.push([key, normalize]);
      }
      return (value) => {
        const input = value as Record<string, unknown>;
        const output: Record<string, unknown> = {};
        for (const [key, normalize] of fields) {
          const result = normalize(input[key]);
          if (result !== undefined || Object.hasOwn(input, key)) output[key] = result;
        }
        return output;
      };
    }
    default:
      return undefined;
  }
}

function identity(value: unknown): unknown {
  return value;
}

function compileFamily(schemas: Record<string, z.ZodType>): Map<string, Normalize> {
  const compiled = new Map<string, Normalize>();
  for (const [type, schema] of Object.entries(schemas)) {
    const normalize = compileNormalizer(schema);
    if (normalize) compiled.set(type, normalize);
  }
  return compiled;
}

const giveawayNormalizers = compileFamily(giveawayEvents.schemas);
const userNormalizers = compileFamily(userEvents.schemas);

/** The types read without zod (for tests and the report). */
export const trustedTypes = { giveaway: [...giveawayNormalizers.keys()], user: [...userNormalizers.keys()] };

/**
 * toProjectedEvent for a rebuild: the same ProjectedEvent, without re-checking what the store
 * checked on append. Only for events read back from the store; anything else goes through zod.
 */
export function toTrustedProjectedEvent(recorded: RecordedEvent): ProjectedEvent | undefined {
  const giveawayId = giveawayIdFromStream(recorded.streamId);
  if (giveawayId !== undefined && isGiveawayEventType(recorded.type)) {
    const normalize = giveawayNormalizers.get(recorded.type);
    const event = normalize && isPlainObject(recorded.data) ? ({ type: recorded.type, data: normalize(recorded.data) } as ProjectedEvent["event"]) : parseGiveawayEvent(recorded.type, recorded.data);
    return { stream: "giveaway", giveawayId, recorded, event } as ProjectedEvent;
  }
  if (recorded.streamId.startsWith(userStreamPrefix) && isUserEventType(recorded.type)) {
    const normalize = userNormalizers.get(recorded.type);
    const event = normalize && isPlainObject(recorded.data) ? ({ type: recorded.type, data: normalize(recorded.data) } as ProjectedEvent["event"]) : parseUserEvent(recorded.type, recorded.data);
    return { stream: "user", recorded, event } as ProjectedEvent;
  }
  return undefined;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
