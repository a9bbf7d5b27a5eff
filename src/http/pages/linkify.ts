// Message text as HTML with its web addresses made into links, safely: everything is escaped,
// only http(s) addresses that parse become links, and they open apart from the chat without
// handing it a referrer or a window handle.
const candidate = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the address ("see https://x.org/a.").
const trailing = /[.,;:!?)\]}*_~'"]+$/;

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export function linkify(text: string): string {
  let html = "";
  let from = 0;
  for (const match of text.matchAll(candidate)) {
    const address = match[0].replace(trailing, "");
    if (!isWebAddress(address)) continue;
    const at = match.index;
    html += escapeHtml(text.slice(from, at));
    const shown = escapeHtml(address);
    html += `<a href="${shown}" rel="noopener noreferrer nofollow ugc" target="_blank">${shown}</a>`;
    from = at + address.length;
  }
  return html + escapeHtml(text.slice(from));
}
