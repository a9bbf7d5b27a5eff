// Timestamps as people read them, one format on every page: "Today 15:28", "Sat 6 Dec, 15:28", and
// the year when it is not this one. The reader's zone when their browser told us (the `tz` cookie
// that public/times.js sets); else UTC, and the text says so. public/times.js writes the same words
// in the browser, so a page reads the same with or without script and in its live frames.
import { parse as parseCookie } from "cookie";

/** The cookie public/times.js sets to the browser's zone, e.g. `tz=Europe/Berlin`. */
export const timeZoneCookie = "tz";

const knownZones = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);

/** The zone a request's `tz` cookie names, if it is one Intl knows; anything else is ignored. */
export function viewerTimeZone(cookieHeader: string | undefined): string | undefined {
  if (typeof cookieHeader !== "string" || cookieHeader === "") return undefined;
  const zone = parseCookie(cookieHeader)[timeZoneCookie];
  return zone !== undefined && zone.length <= 64 && knownZones.has(zone) ? zone : undefined;
}

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const formats = new Map<string, Intl.DateTimeFormat>();

/** A date's calendar day and clock in `zone`, as numbers (the names are ours: the same in every ICU). */
function partsIn(date: Date, zone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let format = formats.get(zone); // kept: a few hundred zones at most
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" });
    formats.set(zone, format);
  }
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const part of format.formatToParts(date)) if (part.type in parts) parts[part.type as keyof typeof parts] = Number(part.value);
  return parts;
}

/**
 * `iso` as its reader says it, in `zone` (undefined: UTC, said so). `now` decides "Today" and
 * whether the year is needed.
 */
export function readableTime(iso: string, zone?: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const at = partsIn(date, zone ?? "UTC");
  const today = partsIn(now, zone ?? "UTC");
  const clock = `${String(at.hour).padStart(2, "0")}:${String(at.minute).padStart(2, "0")}`;
  const sameDay = at.year === today.year && at.month === today.month && at.day === today.day;
  const weekday = weekdays[new Date(Date.UTC(at.year, at.month - 1, at.day)).getUTCDay()];
  const day = `${weekday} ${at.day} ${months[at.month - 1]}${at.year === today.year ? "" : ` ${at.year}`}`;
  const text = sameDay ? `Today ${clock}` : `${day}, ${clock}`;
  return zone === undefined ? `${text} UTC` : text;
}
