// How a conversation reads: a separator where the day changes (in the reader's zone) and
// consecutive messages of one person within a few minutes grouped under one name and time.
import { dayLabel, localiseTimes, sameDay } from "./times.js";

const groupGapMs = 5 * 60_000;

const sentAt = (message) => new Date(message.querySelector("time[datetime]")?.dateTime ?? NaN);

function separatorFor(date) {
  const separator = document.createElement("div");
  separator.className = "day-separator";
  separator.setAttribute("role", "separator");
  const time = document.createElement("time");
  time.dateTime = date.toISOString();
  time.dataset.local = "true";
  time.textContent = dayLabel(date);
  separator.append(time);
  return separator;
}

/** Lays out the messages under `container` again: separators, groups, local times. Idempotent. */
export function layOutMessages(container) {
  for (const old of container.querySelectorAll(":scope > .day-separator")) old.remove();
  let previous = null;
  for (const message of container.querySelectorAll(":scope > .message")) {
    const date = sentAt(message);
    const previousDate = previous ? sentAt(previous) : null;
    const valid = !Number.isNaN(date.getTime());
    if (valid && (!previousDate || Number.isNaN(previousDate.getTime()) || !sameDay(previousDate, date))) {
      message.before(separatorFor(date));
    }
    const continues =
      previous !== null &&
      valid &&
      message.dataset.senderId !== undefined && // a system notice has no sender: never part of a group
      previous.dataset.senderId === message.dataset.senderId &&
      message.previousElementSibling === previous &&
      date.getTime() - previousDate.getTime() < groupGapMs;
    message.classList.toggle("continued", continues);
    previous?.classList.toggle("followed", continues);
    previous = message;
  }
  previous?.classList.remove("followed");
  localiseTimes(container);
}
