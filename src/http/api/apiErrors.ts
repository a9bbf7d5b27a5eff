// The API's error handling: its last middleware and its unknown route. The codes, their statuses
// and the JSON writer are http/errorAnswers.ts's, shared with the edge and the pages.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { answerFailure } from "../edge/failures.ts";
import { sendApiError } from "../errorAnswers.ts";

export { ApiError, sendApiError, type ApiErrorCode } from "../errorAnswers.ts";

/** The API's last middleware: known refusals as they are, anything else as a 500 without details. */
export function apiErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  answerFailure(error, req, res, res.locals.requestId as string | undefined);
}

/** A request that failed: known refusals as they are, anything else as a 500 without details. */
export function answerApiFailure(error: unknown, req: IncomingMessage, res: ServerResponse, requestId: string | undefined): void {
  answerFailure(error, req, res, requestId);
}

/** Anything under /api that no route answered. */
export function unknownApiRoute(req: Request, res: Response): void {
  sendApiError(res, "not_found", `no such API route: ${req.method} ${req.baseUrl}${req.path}`.slice(0, 300));
}
