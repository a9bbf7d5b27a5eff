// Where the browser thinks it is: the public origin (scheme, host and port). Configured with
// PUBLIC_URL, or taken from the request (Host, and X-Forwarded-Proto when a trusted proxy sets it).
import type { IncomingMessage } from "node:http";

export interface OriginConfig {
  publicOrigin: string | undefined;
  trustProxy: boolean;
}

function forwardedProto(req: IncomingMessage): string | undefined {
  const given = req.headers["x-forwarded-proto"];
  const first = (Array.isArray(given) ? given[0] : given)?.split(",")[0]?.trim().toLowerCase();
  return first === "https" || first === "http" ? first : undefined;
}

/** The origin this request was made to, as the browser wrote it (undefined: cannot tell). */
export function publicOriginOf(req: IncomingMessage, config: OriginConfig): string | undefined {
  if (config.publicOrigin) return config.publicOrigin;
  const scheme = (config.trustProxy && forwardedProto(req)) || "http";
  const host = req.headers.host;
  if (!host) return undefined;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/** Cookies get `Secure` when the browser reaches us over https. */
export function isHttps(req: IncomingMessage, config: OriginConfig): boolean {
  return publicOriginOf(req, config)?.startsWith("https:") ?? false;
}

/**
 * Whether a write came from our own pages: its Origin (else Referer) has our scheme, host and port.
 * Neither header, "null", or anything unparsable: not ours.
 */
export function comesFromOurOrigin(req: IncomingMessage, config: OriginConfig): boolean {
  const origin = req.headers.origin;
  const source = typeof origin === "string" && origin !== "" ? origin : req.headers.referer;
  if (!source || source === "null") return false;
  const ours = publicOriginOf(req, config);
  try {
    return ours !== undefined && new URL(source).origin === ours;
  } catch {
    return false;
  }
}
