// One time format everywhere, in the reader's own zone: the server writes UTC into
// <time datetime>, this rewrites the text (the full date and zone stay in the tooltip).
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "long" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "long" });

const startOfDay = (date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** A calendar day as people say it: Today, Yesterday, a weekday this week, else the date. */
export function dayLabel(date, now = new Date()) {
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days > 1 && days < 7) return weekday.format(date);
  return (date.getFullYear() === now.getFullYear() ? dayMonth : dayMonthYear).format(date);
}

/** "14:05" today, "Yesterday 14:05", "3 Mar 14:05" — the same words for a time on every page. */
export function readableTime(date, now = new Date()) {
  const day = dayLabel(date, now);
  return day === "Today" ? clock.format(date) : `${day} ${clock.format(date)}`;
}

export const clockTime = (date) => clock.format(date);
export const sameDay = (a, b) => startOfDay(a) === startOfDay(b);

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
