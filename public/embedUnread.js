// The chat framed in the platform's page (/embed): tells the parent window the unread count (the one
// page.js shows in the title), at load and on each change, so the platform can show its own badge.
// Only to the parent's origin, and only when that origin is one the page lists (EMBED_ORIGINS).
const allowed = (document.documentElement.dataset.embedOrigins ?? "").split(" ").filter(Boolean);

function parentOrigin() {
  if (window.parent === window) return undefined;
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0];
  try {
    return new URL(document.referrer).origin;
  } catch {
    return undefined;
  }
}

const target = parentOrigin();
if (target && allowed.includes(target)) {
  let posted;
  const postUnread = () => {
    const count = Number(document.documentElement.dataset.unread ?? 0);
    if (count === posted) return;
    posted = count;
    window.parent.postMessage({ type: "handoff:unread", count }, target);
  };
  new MutationObserver(postUnread).observe(document.documentElement, { attributes: true, attributeFilter: ["data-unread"] });
  postUnread();
}
