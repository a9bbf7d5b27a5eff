// Pickup steps through the chat page, waiting on what the page shows.
import type { Page } from "playwright-core";

/** A local date-time next year, for datetime-local fields (the page sends the browser's zone along). */
export function nextYear(month: number, day: number, hour: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${new Date().getFullYear() + 1}-${pad(month)}-${pad(day)}T${pad(hour)}:00`;
}

export async function propose(page: Page, from: string, to: string, place: string, note = ""): Promise<void> {
  const form = page.locator("#pickup-form");
  if (!(await form.isVisible())) await page.click("#pickup-open"); // the sheet (a dialog with script)
  await page.fill("#pickup-from", from);
  await page.fill("#pickup-to", to);
  await page.fill("#pickup-place", place);
  if (note) await page.fill("#pickup-note", note);
  await Promise.all([page.waitForURL(/#pickup-panel$/), page.click("#propose-button")]);
}

/** The proposal cards as the page shows them, in order. */
export async function shownCards(page: Page): Promise<{ place: string; status: string; canAnswer: boolean }[]> {
  return page.locator("#messages .pickup-card").evaluateAll((cards) =>
    cards.map((card) => ({
      place: card.querySelector(".pickup-place")?.textContent ?? "",
      status: card.getAttribute("data-status") ?? "",
      canAnswer: card.querySelector(".accept-proposal") !== null,
    })),
  );
}

export async function pickupStatus(page: Page): Promise<string | null> {
  return page.locator("#pickup-status").getAttribute("data-status");
}
