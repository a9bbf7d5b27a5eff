// The long-lived event streams, served straight from node:http ahead of express: express re-parents
// every request and response, which makes each later write slower and keeps its request state alive
// for as long as the stream is open. Anything that is not one of these routes goes on to express.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestIdentity } from "../authentication.ts";
import { answerFailure } from "../edge/failures.ts";
import { observeStream, streamEnded } from "../requestLog.ts";
import { closeStreamOf } from "./sseStream.ts";

export interface StreamParams {
  /** The route's `:name` segments, decoded. */
  path: Record<string, string>;
  query: URLSearchParams;
  /** The request's id (X-Request-Id), also in its log line. */
  requestId: string;
}

export type StreamHandler = (req: IncomingMessage, res: ServerResponse, params: StreamParams) => void | Promise<void>;

/** A stream's own work, once the API or the pages have said who is asking. */
export type SignedInStreamHandler = (req: IncomingMessage, res: ServerResponse, params: StreamParams, identity: RequestIdentity) => void | Promise<void>;

export interface StreamRoute {
  /** A GET path such as "/api/giveaways/:id/stream"; matched like express (any case, optional trailing slash). */
  path: string;
  handle: StreamHandler;
}

export interface StreamRouter {
  /** True when a stream route took the request; false leaves it to the next handler. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

interface CompiledRoute {
  path: string;
  pattern: RegExp;
  names: string[];
  handle: StreamHandler;
}

function compile(route: StreamRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(segment.slice(1));
      return "([^/]+)";
    })
    .join("/");
  return { path: route.path, pattern: new RegExp(`^${source}/?$`, "i"), names, handle: route.handle };
}

function decoded(segments: string[], names: string[]): Record<string, string> | undefined {
  const path: Record<string, string> = {};
  try {
    names.forEach((name, index) => (path[name] = decodeURIComponent(segments[index]!)));
  } catch {
    return undefined; // a malformed escape: not ours to answer
  }
  return path;
}

/**
 * The one close listener of a stream's response, shared by all: the stream closes, then its log line.
 * (A listener each for the stream and the log would make node keep a growable array per response.)
 */
function streamResponseClosed(this: ServerResponse): void {
  closeStreamOf(this);
  streamEnded(this);
}

export function streamRouter(routes: readonly StreamRoute[], newId: () => string): StreamRouter {
  const compiled = routes.map(compile);
  return {
    handle(req, res) {
      if (req.method !== "GET" || !req.url) return false;
      const queryStart = req.url.indexOf("?");
      const pathname = queryStart < 0 ? req.url : req.url.slice(0, queryStart);
      for (const route of compiled) {
        const match = route.pattern.exec(pathname);
        if (!match) continue;
        const path = decoded(match.slice(1), route.names);
        if (!path) return false;
        const { requestId } = observeStream(req, res, route.path, newId);
        res.on("close", streamResponseClosed);
        // Whatever a stream's handler throws, now or later, is answered here: these routes run outside express.
        const fail = (error: unknown) => answerFailure(error, req, res, requestId);
        try {
          Promise.resolve(route.handle(req, res, { path, query: new URLSearchParams(queryStart < 0 ? "" : req.url.slice(queryStart + 1)), requestId })).catch(fail);
        } catch (error) {
          fail(error);
        }
        return true;
      }
      return false;
    },
  };
}

/** A query parameter as express's parser gives it: a repeated name is an array. */
export function queryValue(query: URLSearchParams, name: string): string | string[] | undefined {
  const values = query.getAll(name);
  return values.length > 1 ? values : values[0];
}
