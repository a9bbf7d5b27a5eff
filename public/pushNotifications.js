// "Turn on notifications" on the chat and inbox pages (docs/notifications.md). The browser is asked
// for permission only when the person presses the button; then the service worker (/sw.js) is
// registered, subscribed to Web Push with the server's key, and the subscription is posted to the
// server, which pushes while no handoff page of theirs is open. "Turn off notifications" turns push
// off in their settings (PUT /api/me/notifications). An open page keeps its own in-page notices.
const enable = document.getElementById("enable-notifications");
const disable = document.getElementById("disable-notifications");
const pushSupported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
/** The endpoint this browser last gave the server, so a page load does not post it again. */
const postedKey = "handoff-push-endpoint";

function show(button, visible) {
  if (button) button.hidden = !visible;
}

function keyBytes(base64Url) {
  const base64 = base64Url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64Url.length + 3) % 4);
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const own = new Uint8Array(buffer);
  return own.length === bytes.length && own.every((byte, index) => byte === bytes[index]);
}

async function json(response) {
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return response.status === 204 ? undefined : response.json();
}

async function putSettings(change) {
  return json(await fetch("/api/me/notifications", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(change), credentials: "same-origin" }));
}

/** Registers the worker, subscribes with the server's key (again if the key changed), and tells the server. */
async function subscribe(force) {
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  await navigator.serviceWorker.ready;
  const { publicKey } = await json(await fetch("/api/push/public-key", { credentials: "same-origin" }));
  const serverKey = keyBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options && subscription.options.applicationServerKey, serverKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  if (!subscription) subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
  const body = JSON.stringify(subscription);
  if (!force && localStorage.getItem(postedKey) === subscription.endpoint) return;
  await json(await fetch("/api/push/subscriptions", { method: "POST", headers: { "Content-Type": "application/json" }, body, credentials: "same-origin" }));
  localStorage.setItem(postedKey, subscription.endpoint);
}

async function start() {
  if (!enable || !("Notification" in window)) return;
  if (Notification.permission === "default") {
    show(enable, true);
    return;
  }
  if (Notification.permission !== "granted" || !pushSupported) return;
  // Allowed before: keep this browser's subscription known to the server, and offer to turn push off or on.
  const settings = await json(await fetch("/api/me/notifications", { credentials: "same-origin" }));
  if (!settings.push) {
    show(enable, true);
    return;
  }
  await subscribe(false);
  show(disable, true);
}

enable?.addEventListener("click", async () => {
  show(enable, false);
  try {
    const permission = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    if (permission !== "granted" || !pushSupported) return;
    await putSettings({ push: true });
    await subscribe(true);
    show(disable, true);
  } catch (error) {
    // No push service (or it refused): the page's own notices still work while it is open.
    console.warn("Web Push is not available here:", error);
  }
});

disable?.addEventListener("click", async () => {
  show(disable, false);
  try {
    await putSettings({ push: false });
    show(enable, true);
  } catch (error) {
    show(disable, true);
    console.warn("turning notifications off failed:", error);
  }
});

start().catch((error) => console.warn("Web Push is not available here:", error));
