// Request bodies, queries and headers checked with zod at the edge; a bad field is a 422 naming it.
import { z } from "zod";
import { IdSchema, isId } from "../../domain/ids.ts";
import { ApiError } from "./apiErrors.ts";

function describeIssues(issues: readonly z.core.$ZodIssue[], where: string): string {
  return issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join(".") : where;
      return `${field}: ${issue.message}`;
    })
    .join("; ");
}

/** The JSON body, checked; a missing or non-JSON body reads as "body: expected object". */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? undefined);
  if (!result.success) throw new ApiError("invalid_field", describeIssues(result.error.issues, "body"));
  return result.data;
}

/** Query parameters (or one header, under its own name), checked. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = "query"): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ApiError("invalid_field", describeIssues(result.error.issues, where));
  return result.data;
}

/** A whole number written in decimal (a query string or header), at least `min`. */
export function integerText(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .trim()
    .regex(/^-?\d{1,16}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** A client-chosen id (a message id): the one id format, a lower-case UUID; anything else is a 422. */
export const clientUuid = IdSchema;

/** A giveaway id from the path: anything that is not the one id format names no giveaway (404, not 422). */
export function giveawayIdParam(value: unknown): string {
  if (!isId(value)) throw new ApiError("giveaway_not_found", "no such giveaway");
  return value;
}
