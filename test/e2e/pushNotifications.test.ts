// Web Push in Chromium: "Turn on notifications" registers the service worker (/sw.js), subscribes
// with the server's VAPID key and posts the subscription; the server's push, taken from a local push
// service and decrypted, is delivered to the worker (DevTools' ServiceWorker.deliverPushMessage) and
// shows a notification; its notificationclick handler, dispatched by the test, opens the
// conversation. pushManager.subscribe needs a real push service, so the test stands in for it: its
// subscription has the test's own keys and an endpoint on the local push service.
import type { Page } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { signUp, type SignedInUser } from "../http/apiFixtures.ts";
import { browserKeys, startLocalPushService, type LocalPushService } from "../push/localPushService.ts";
import { openPerson, register, sessionToken, waitConnected, watchConsoleErrors } from "./chatInBrowser.ts";

/** Stands in for the browser's push service: subscribe() answers the test's subscription and records the key it was asked with. */
const subscribeStandIn = ({ endpoint, keys }: { endpoint: string; keys: { p256dh: string; auth: string } }) => {
  let current: unknown = null;
  const encode = (buffer: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    const key = options?.applicationServerKey as ArrayBuffer | Uint8Array;
    const bytes = key instanceof Uint8Array ? key : new Uint8Array(key);
    (window as unknown as { __subscribedWith: string }).__subscribedWith = encode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    current = { endpoint, options: { applicationServerKey: bytes.buffer, userVisibleOnly: true }, toJSON: () => ({ endpoint, expirationTime: null, keys }), unsubscribe: async () => true };
    return current as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return current as PushSubscription | null;
  };
};

describe.skipIf(browserTestsSkipped)("browser: Web Push", () => {
  let server: TestServer;
  let pushService: LocalPushService;
  let bob: BrowserPerson;
  let ann: SignedInUser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    pushService = await startLocalPushService();
    server = await startTestServer({ env: { OUTBOUND_ALLOW_PRIVATE: "true" } });
    bob = await openPerson();
  });
  afterAll(async () => {
    await bob?.close();
    await server?.close();
    await pushService?.close();
  });

  it("the button subscribes; a push shows a notification; clicking it opens the conversation", async (context) => {
    const url = server.url;
    const browser = browserKeys();
    const endpoint = pushService.endpoint("bob");
    await bob.context.addInitScript(subscribeStandIn, { endpoint, keys: browser.keys });
    watchConsoleErrors(bob, consoleErrors);

    // Ann gives (through the API); Bob registers in the browser, enters and wins.
    ann = await signUp(server, "ann");
    const giveaway = await request(url).post("/api/giveaways").set(ann.auth).send({ title: "A kettle" });
    const giveawayId = giveaway.body.id as string;
    const page = await register(bob, url, "bob");
    const bobAuth = { Authorization: `Bearer ${await sessionToken(bob)}` };
    expect((await request(url).post(`/api/giveaways/${giveawayId}/entries`).set(bobAuth)).status).toBe(201);
    expect((await request(url).post(`/api/giveaways/${giveawayId}/draw`).set(ann.auth)).status).toBe(200);
    const bobId = (await request(url).get("/api/me").set(bobAuth)).body.id as string;

    await page.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(page);
    if ((await page.evaluate("Notification.permission")) === "denied") context.skip("this Chromium denies notifications before any prompt");
    // The browser is asked only on the button: until then it says nothing, and the button shows.
    expect(await page.evaluate("Notification.permission")).toBe("default");
    const button = page.locator("#enable-notifications");
    await button.waitFor();
    expect(await button.textContent()).toBe("Turn on notifications");
    await bob.context.grantPermissions(["notifications"], { origin: url });
    await button.click();
    await page.locator("#disable-notifications").waitFor();

    // Registered, subscribed with the server's key, and posted.
    const publicKey = (await request(url).get("/api/push/public-key")).body.publicKey as string;
    expect(await page.evaluate("window.__subscribedWith")).toBe(publicKey);
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.active?.scriptURL))).toBe(`${url}/sw.js`);
    await expect.poll(() => server.handoff.queries.pushSubscriptionsOf(bobId).map((subscription) => subscription.endpoint)).toEqual([endpoint]);

    // Bob leaves (no stream open); Ann writes; the push arrives at the push service.
    const cdp = await bob.context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (event) => registrations.push(...event.registrations));
    await cdp.send("ServiceWorker.enable");
    await page.goto("about:blank");
    await expect.poll(() => server.handoff.hub.hasOpenStream(bobId)).toBe(false);
    expect((await request(url).post(`/api/giveaways/${giveawayId}/messages`).set(ann.auth).send({ content: "The kettle is by the door" })).status).toBe(201);
    await expect.poll(() => pushService.received.filter((push) => push.name === "bob").length).toBe(1);
    const payload = browser.decrypt(pushService.received.find((push) => push.name === "bob")!.body);

    // Delivered to the worker, it shows a notification.
    await expect.poll(() => registrations.some((registration) => registration.scopeURL === `${url}/`)).toBe(true);
    const registrationId = registrations.find((registration) => registration.scopeURL === `${url}/`)!.registrationId;
    const worker = bob.context.serviceWorkers().find((each) => each.url() === `${url}/sw.js`) ?? (await bob.context.waitForEvent("serviceworker"));
    // The test watches the worker (in its own scope: written as text, since its types are not the page's):
    // the push it receives, and when its showNotification() has resolved. Asking getNotifications()
    // while the notification is still being shown made headless Chromium answer [] from then on.
    await worker.evaluate(`
      self.addEventListener("push", (event) => { self.__pushes = (self.__pushes || []).concat([event.data.text()]); });
      const show = self.registration.showNotification.bind(self.registration);
      self.registration.showNotification = (title, options) => show(title, options).then(() => { self.__shown = (self.__shown || 0) + 1; });
      true`);
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: url, registrationId, data: payload });
    await expect.poll(() => worker.evaluate("self.__pushes"), { interval: 250 }).toEqual([payload]);
    await expect.poll(() => worker.evaluate("self.__shown"), { interval: 250 }).toBe(1);
    const shown = () => worker.evaluate("self.registration.getNotifications().then((all) => all.map((n) => ({ title: n.title, body: n.body, tag: n.tag })))");
    await expect.poll(shown, { interval: 250 }).toEqual([{ title: "A kettle", body: `${ann.username}: The kettle is by the door`, tag: `handoff-${giveawayId}` }]);

    // A click on it brings an open handoff page to the conversation.
    const inbox: Page = await bob.context.newPage();
    await inbox.goto(`${url}/inbox`);
    await worker.evaluate(`(async () => {
      const [notification] = await self.registration.getNotifications();
      self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
    })()`);
    await inbox.waitForURL(`${url}/messages/${giveawayId}`);
    await waitConnected(inbox);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
