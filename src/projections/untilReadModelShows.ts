// For writes that are not giveaway events (a new account), which handoff.readYourWrites does not
// track: wait briefly until the read model shows the change, so the next page shows it too.
const pollMs = 5;

/** Resolves true once `shows()` holds, or false after `timeoutMs` (the page then shows slightly older data). */
export async function untilReadModelShows(shows: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!shows()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}
