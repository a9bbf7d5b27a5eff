// One time format everywhere, in the reader's own zone: the server writes UTC into
// <time datetime>, this rewrites the text in the words src/http/pages/readableTime.ts uses
// ("Today 15:28", "Sat 6 Dec, 15:28"; the full date and zone stay in the tooltip). It also tells the
// server the zone (the `tz` cookie), so pages drawn without script speak it too.
const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "long" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "long" });
const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const startOfDay = (date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** A calendar day as people say it (the chat's day separators): Today, Yesterday, a weekday this week, else the date. */
export function dayLabel(date, now = new Date()) {
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days > 1 && days < 7) return weekday.format(date);
  return (date.getFullYear() === now.getFullYear() ? dayMonth : dayMonthYear).format(date);
}

/** "Today 14:05", "Tue 3 Mar, 14:05", "Tue 3 Mar 2025, 14:05": the same words as the server's pages. */
export function readableTime(date, now = new Date()) {
  const time = clock.format(date);
  if (sameDay(date, now)) return `Today ${time}`;
  const year = date.getFullYear() === now.getFullYear() ? "" : ` ${date.getFullYear()}`;
  return `${weekdays[date.getDay()]} ${date.getDate()} ${months[date.getMonth()]}${year}, ${time}`;
}

export const clockTime = (date) => clock.format(date);
export function sameDay(a, b) {
  return startOfDay(a) === startOfDay(b);
}

/** Rewrites every <time datetime> under root that is not yet in the reader's zone. */
export function localiseTimes(root = document) {
  for (const time of root.querySelectorAll("time[datetime]:not([data-local])")) {
    const date = new Date(time.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    time.textContent = time.dataset.format === "clock" ? clock.format(date) : readableTime(date);
    time.title = full.format(date);
    time.dataset.local = "true";
  }
}

/** The browser's zone for the server's pages (readableTime.ts checks it against its own list). */
export function rememberTimeZone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || document.cookie.split("; ").includes(`tz=${encodeURIComponent(zone)}`)) return;
  document.cookie = `tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
}

// Every page loads this module (page.js): the zone is told once, on the first page with script.
if (typeof document !== "undefined") rememberTimeZone();
