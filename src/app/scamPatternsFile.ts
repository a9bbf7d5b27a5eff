// The operator's own scam patterns (SCAM_PATTERNS_FILE): read once at start and added to the
// default list. A file that cannot be read or does not fit stops the start, saying why.
import { readFileSync } from "node:fs";
import { compileScamPatterns, defaultScamPatterns, type ScamPattern } from "../domain/scamPatterns.ts";

export type ScamPatternsLoad = { ok: true; patterns: readonly ScamPattern[] } | { ok: false; problem: string };

/** The default patterns, then the file's (if one is named). */
export function loadScamPatterns(file: string | undefined): ScamPatternsLoad {
  if (file === undefined) return { ok: true, patterns: defaultScamPatterns };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, problem: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const compiled = compileScamPatterns(json);
  if (!compiled.ok) return { ok: false, problem: `${file}: ${compiled.problem}` };
  return { ok: true, patterns: [...defaultScamPatterns, ...compiled.patterns] };
}
