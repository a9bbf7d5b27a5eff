// What a reply by e-mail says, without what it quotes: the text above the digest's own marker, the
// mail program's "On ... wrote:" line (in the languages the scam patterns know), a forwarded or
// original-message header, and the "-- " signature; lines quoted with ">" are dropped wherever they are.

/** The digest's text part carries this line; whatever a reply keeps below it is the digest quoted. */
export const replyAboveMarker = "## Write your reply above this line ##";

/** A line that starts the quoted history (alone or with the next line: mail programs wrap it). */
const attribution = [/^on\s.*\bwrote:$/i, /^am\s.*\bschrieb.*:$/i, /^le\s.*\ba écrit\s?:$/i, /^el\s.*\bescribió:$/i, /^op\s.*\bschreef.*:$/i];
const historyHeaders = [/^-{2,}\s*original message\s*-{2,}$/i, /^-{2,}\s*forwarded message\s*-{2,}$/i, /^_{20,}$/];

function startsHistory(line: string, next: string | undefined): boolean {
  const trimmed = line.trim();
  if (trimmed.includes(replyAboveMarker)) return true;
  if (historyHeaders.some((pattern) => pattern.test(trimmed))) return true;
  if (attribution.some((pattern) => pattern.test(trimmed))) return true;
  // Outlook's quoted header block: "From: ..." then "Sent: ..." (or "Date: ...").
  if (/^from:\s/i.test(trimmed) && next !== undefined && /^(sent|date):\s/i.test(next.trim())) return true;
  // "On Sat, 5 Dec 2026 at 10:00, handoff <reply+...@...>" then "wrote:" on the next line.
  return next !== undefined && /^(on|am|le|el|op)\s/i.test(trimmed) && attribution.some((pattern) => pattern.test(`${trimmed} ${next.trim()}`));
}

export function replyText(body: string): string {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    // The signature delimiter (RFC 3676: "-- "), which some programs trim to "--".
    if (line === "-- " || line === "--") break;
    if (startsHistory(line, lines[index + 1])) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line.replace(/\s+$/, ""));
  }
  return kept.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
