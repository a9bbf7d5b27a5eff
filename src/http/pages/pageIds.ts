// Ids that arrive in paths and hidden fields: checked before they reach a stream name.
import { z } from "zod";

export const IdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "not a valid id");

export function isId(value: unknown): value is string {
  return IdSchema.safeParse(value).success;
}
