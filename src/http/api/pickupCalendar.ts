// The agreed pickup as an iCalendar (RFC 5545) event: one VEVENT, UTC times, escaped and folded text.

export interface CalendarPickup {
  proposalId: string;
  title: string;
  from: string;
  to: string;
  place: string;
  note: string;
  agreedAt: string;
  withName: string;
}

const utc = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** TEXT values escape backslash, semicolon, comma and line breaks; control characters are dropped. */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n");
}

/** Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function pickupCalendar(pickup: CalendarPickup): string {
  const description = [`Pickup with ${pickup.withName}.`, pickup.note].filter(Boolean).join("\n");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//handoff//pickup//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:pickup-${pickup.proposalId}@handoff`,
    `DTSTAMP:${utc(pickup.agreedAt)}`,
    `DTSTART:${utc(pickup.from)}`,
    `DTEND:${utc(pickup.to)}`,
    `SUMMARY:${escapeText(`Pickup: ${pickup.title}`)}`,
    `LOCATION:${escapeText(pickup.place)}`,
    `DESCRIPTION:${escapeText(description)}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
