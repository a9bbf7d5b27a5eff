// handoff's service worker (served at /sw.js, scope "/"): shows a Web Push as a notification and
// opens its conversation when the notification is clicked. It caches nothing and handles no fetch.
// The payload (src/push/pushMessage.ts): {id, kind, giveawayId, title, from, body?, url}; no body
// when the person turned previews off.
"use strict";

/** What a push without a preview says, by kind. */
const withoutPreview = {
  message: "New message",
  reaction: "New reaction",
  pickup_proposed: "New pickup proposal",
  pickup_planned: "Pickup agreed",
  pickup_reminder: "Pickup soon",
  redrawn: "A new winner was drawn",
  cancelled: "The giveaway was cancelled",
};

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  // Take the open pages at once, so a click can bring one of them to the conversation.
  event.waitUntil(self.clients.claim());
});

function parsePayload(data) {
  if (!data) return undefined;
  try {
    const payload = data.json();
    return payload && typeof payload === "object" ? payload : undefined;
  } catch (_error) {
    return undefined;
  }
}

self.addEventListener("push", (event) => {
  const payload = parsePayload(event.data);
  if (!payload) return;
  const title = typeof payload.title === "string" && payload.title ? payload.title : "handoff";
  const from = typeof payload.from === "string" && payload.from ? payload.from : undefined;
  const line = typeof payload.body === "string" ? payload.body : withoutPreview[payload.kind] || "Something new";
  const options = {
    body: from ? `${from}: ${line}` : line,
    // One notification per conversation: a newer one replaces the older (as the push's Topic does at the push service).
    tag: `handoff-${payload.giveawayId}`,
    renotify: true,
    icon: "/assets/favicon.svg",
    data: { url: typeof payload.url === "string" ? payload.url : "/inbox", id: payload.id },
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

/** The conversation's address, only ever on this site (a payload cannot send the browser elsewhere). */
function targetOf(notification) {
  const url = new URL((notification.data && notification.data.url) || "/inbox", self.location.origin);
  return url.origin === self.location.origin ? url.href : new URL(url.pathname + url.search, self.location.origin).href;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = targetOf(event.notification);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const already = windows.find((client) => client.url === target);
      if (already) return already.focus().catch(() => already);
      // A handoff page that is open: bring it to the conversation.
      for (const client of windows) {
        if (!("navigate" in client)) continue;
        try {
          const moved = await client.navigate(target);
          if (moved) return moved.focus().catch(() => moved);
        } catch (_error) {
          // Not ours to move (not controlled yet): try the next, or open a window.
        }
      }
      return self.clients.openWindow(target);
    })(),
  );
});
