// Every page: times in the reader's zone, the unread count in the tab title and on the favicon,
// and giveaway pages that follow their giveaway live (entrants, the draw) through the
// notifications stream.
import { localiseTimes } from "./times.js";

const baseTitle = document.title;
const icon = document.querySelector('link[rel="icon"]');
let chatUnseen = 0;

function showUnread() {
  const badge = document.getElementById("unread-badge");
  const count = Number(badge?.dataset.count ?? 0) + chatUnseen;
  const title = count > 0 ? `(${count}) ${baseTitle}` : baseTitle;
  if (document.title !== title) document.title = title;
  const href = count > 0 ? "/assets/favicon-unread.svg" : "/assets/favicon.svg";
  if (icon && icon.getAttribute("href") !== href) icon.setAttribute("href", href);
  document.documentElement.dataset.unread = String(count);
}

/** The chat page's own unread messages (those that came while its tab was hidden). */
export function announceUnseen(count) {
  chatUnseen = count;
  showUnread();
}

// A giveaway page fetches itself again when the stream says the giveaway changed.
const giveaway = document.getElementById("giveaway");
async function refreshGiveaway() {
  const current = document.getElementById("giveaway");
  if (!current) return;
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("giveaway");
    if (fresh) current.replaceWith(document.importNode(fresh, true));
  } catch {
    // the next change, or a reload, shows it
  }
}
const notifications = document.getElementById("notifications-stream");
if (giveaway && notifications) {
  notifications.addEventListener("giveaway-changed", (event) => {
    if (event.detail?.data === giveaway.dataset.giveawayId) void refreshGiveaway();
  });
  notifications.addEventListener("htmx:sse:after:message", () => {
    // A "you won" notice for this giveaway: the page shows the draw too.
    const notice = document.querySelector(`#notices .notice[data-giveaway-id="${CSS.escape(giveaway.dataset.giveawayId)}"]:not([data-seen])`);
    if (!notice) return;
    notice.dataset.seen = "true";
    void refreshGiveaway();
  });
}

new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) localiseTimes(node);
  }
  showUnread();
}).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-count"] });

localiseTimes(document);
showUnread();
