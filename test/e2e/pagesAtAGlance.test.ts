// Every page a newcomer meets, on a phone and on a desktop: it fits the screen and the console
// stays clean under the CSP (no inline style from htmx, no blocked script).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { openPerson, register, watchConsoleErrors } from "./chatInBrowser.ts";

describe.skipIf(browserTestsSkipped)("browser: the pages before and after signing in", () => {
  let server: TestServer;
  let person: BrowserPerson;
  const consoleErrors: string[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    person = await openPerson();
    watchConsoleErrors(person, consoleErrors);
  });
  afterAll(async () => {
    await person?.close();
    await server?.close();
  });

  it("fits 390 px and 900 px with no console error, and the landing page explains before it asks to sign in", async () => {
    const page = await person.context.newPage();
    for (const width of [390, 900]) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of ["/", "/signin", "/register", "/no-such-page"]) {
        await page.goto(`${server.url}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width}`).toBeLessThanOrEqual(width);
      }
      await page.goto(`${server.url}/`);
      const lead = await page.locator("#landing .lead").boundingBox();
      const signIn = await page.locator("#landing-signin").boundingBox();
      expect(lead && signIn && lead.y < signIn.y).toBe(true);
    }
    const signedIn = await register(person, server.url, "ann");
    for (const path of ["/giveaways", "/inbox"]) {
      await signedIn.goto(`${server.url}${path}`);
      await signedIn.setViewportSize({ width: 390, height: 800 });
      expect(await signedIn.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    expect(consoleErrors.filter((e) => !e.includes("/no-such-page"))).toEqual([]);
  }, 90_000);
});
