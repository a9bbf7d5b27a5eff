// One JSON log line and one metrics sample per request: its id, method, path (never the query),
// route pattern, status and time. express requests go through requestLog; the event streams,
// served before express, through observeStream, which logs when the stream ends.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import { componentLogger } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import { requestIdFor } from "./api/requestContext.ts";

const log = componentLogger("http");

/** Probes and scrapes come every few seconds: their lines are debug, not info. */
const quietPaths = new Set(["/healthz", "/readyz", "/metrics"]);

function pathOf(url: string | undefined): string {
  const path = (url ?? "/").split("?", 1)[0]!;
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/**
 * The route pattern express matched ("/api/giveaways/:id/messages"), never the raw URL, so the
 * metrics' labels stay few. Mounted prefixes are ours ("/api", "/assets"): lower-cased, as express
 * matches them in any case.
 */
export function routeOf(req: Request): string {
  const base = (req.baseUrl ?? "").toLowerCase();
  const pattern = req.route?.path;
  if (typeof pattern === "string") return `${base}${pattern}` || "/";
  return base ? `${base}/*` : "unmatched";
}

function record(route: string, method: string, status: number, seconds: number): void {
  metrics.httpRequests.inc({ route, method, status: String(status) });
  metrics.httpRequestSeconds.observe({ route }, seconds);
}

/** Request methods as labels: the usual ones, anything else as "other". */
function methodLabel(method: string | undefined): string {
  const known = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
  return method && known.includes(method) ? method : "other";
}

/**
 * express: gives every request its id (X-Request-Id, res.locals.requestId), then logs and counts it
 * when it ends. One line from the shared logger, no per-request child logger: this runs on every send.
 */
export function requestLog(newId: () => string): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFor(req, newId);
    res.setHeader("X-Request-Id", requestId);
    res.locals.requestId = requestId;
    res.once("close", () => {
      const took = seconds(started);
      const route = routeOf(req);
      record(route, methodLabel(req.method), res.statusCode, took);
      const failed = res.statusCode >= 500;
      const level = failed ? "error" : quietPaths.has(pathOf(req.url)) ? "debug" : "info";
      if (!log.isLevelEnabled(level)) return;
      log[level](lineFields(requestId, req.method, pathOf(req.originalUrl ?? req.url), route, res.statusCode, took), failed ? "request failed" : "request");
    });
    next();
  };
}

/** A request's log line, for express requests and streams alike. */
function lineFields(requestId: string, method: string | undefined, path: string, route: string, status: number, seconds: number) {
  return { requestId, method, path, route, status, ms: Math.round(seconds * 1000) };
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** What the log line of a stream needs when it ends: one object per open stream, no closures. */
interface StreamObservation {
  readonly requestId: string;
  readonly route: string;
  readonly started: bigint;
  firstByteSeconds: number | undefined;
}

const observedStreams = new WeakMap<ServerResponse, StreamObservation>();

/**
 * A stream served before express: its request id, then one log line when it ends (streamEnded: how long
 * it was open) and one metrics sample (time to its first byte, as an open stream has no end time).
 * The id goes out with the stream's head (or a refusal's answer), not by setHeader, which would keep a
 * header table per open stream.
 */
export function observeStream(req: IncomingMessage, res: ServerResponse, route: string, newId: () => string): { requestId: string } {
  const requestId = requestIdFor(req, newId);
  observedStreams.set(res, { requestId, route, started: process.hrtime.bigint(), firstByteSeconds: undefined });
  return { requestId };
}

/** The stream's head went out (sseStream.ts says so): its time to first byte. */
export function streamHeadSent(res: ServerResponse): void {
  const observation = observedStreams.get(res);
  if (observation) observation.firstByteSeconds ??= seconds(observation.started);
}

/** The stream's response closed (the stream router's close listener says so): its log line. */
export function streamEnded(res: ServerResponse): void {
  const observation = observedStreams.get(res);
  if (!observation) return;
  observedStreams.delete(res);
  const { requestId, route, started, firstByteSeconds } = observation;
  const openSeconds = seconds(started);
  record(route, methodLabel(res.req.method), res.statusCode, firstByteSeconds ?? openSeconds);
  log.info({ ...lineFields(requestId, res.req.method, pathOf(res.req.url), route, res.statusCode, openSeconds), stream: true }, "stream ended");
}
