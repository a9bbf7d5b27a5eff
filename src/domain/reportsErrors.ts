// The refusals of filing a report (reports.ts).
import { errorCodeGuard } from "./errorCodes.ts";

export const reportErrorCodes = [
  /** Only the other person's messages can be reported: not one's own, not a system notice. */
  "not_reportable",
  /** The note is too long. */
  "invalid_note",
] as const;

export type ReportErrorCode = (typeof reportErrorCodes)[number];

export const isReportErrorCode = errorCodeGuard(reportErrorCodes);
