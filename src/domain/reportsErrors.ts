// The refusals of filing a report (reports.ts).

export const reportErrorCodes = [
  /** Only the other person's messages can be reported: not one's own, not a system notice. */
  "not_reportable",
  /** The note is too long. */
  "invalid_note",
] as const;

export type ReportErrorCode = (typeof reportErrorCodes)[number];

const codes: ReadonlySet<string> = new Set(reportErrorCodes);

export function isReportErrorCode(code: string): code is ReportErrorCode {
  return codes.has(code);
}
