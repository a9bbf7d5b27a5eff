// Debian's Chromium driven by playwright-core: each context is a fresh profile, like a separate person.
import { chromium, type BrowserContext } from "playwright-core";
import { makeTempDir } from "./tempDir.ts";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const browserTestsSkipped = process.env.SKIP_BROWSER_TESTS === "1";

const flags = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface BrowserPerson {
  context: BrowserContext;
  close(): Promise<void>;
}

export interface BrowserPersonOptions {
  javaScriptEnabled?: boolean;
  /** The person's own time zone (IANA name), as their computer would have it. */
  timezoneId?: string;
  locale?: string;
  /** Extra Chromium flags, e.g. a fake microphone. */
  args?: string[];
  /** A touch screen: (hover: none) and (pointer: coarse) match, taps are touches. */
  hasTouch?: boolean;
  viewport?: { width: number; height: number };
}

export async function openBrowserPerson(options: BrowserPersonOptions = {}): Promise<BrowserPerson> {
  const profile = makeTempDir("chromium");
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: chromiumPath,
    headless: true,
    args: [...flags, ...(options.args ?? [])],
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
    viewport: options.viewport ?? { width: 900, height: 800 },
    ...(options.hasTouch ? { hasTouch: true } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      profile.remove();
    },
  };
}
