// Photos of the item, from the giver's pages, through the JSON API (same session): "Add a photo" on a
// giveaway's page (POST /api/giveaways/:id/photos, then the page shows it), and a photo chosen in the
// create form, sent to the new giveaway once it exists. A refusal is shown in the API's own plain
// words, and cleared when another file is chosen. Listeners sit on the document: page.js may swap
// the giveaway's card for a fresh copy when the giveaway changes.

/** A refusal carried over to the giveaway's page when the photo chosen at creation was not taken. */
const carriedError = "handoff-photo-error";

/** The API's words as a sentence: a capital first, a full stop last. */
function sentence(text) {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function showError(text) {
  const error = document.getElementById("photo-error");
  if (!error) return;
  error.textContent = text;
  error.hidden = !text;
}

/** Sends one picture; resolves to undefined when it was taken, else the words to show. */
async function upload(giveawayId, file) {
  try {
    const response = await fetch(`/api/giveaways/${encodeURIComponent(giveawayId)}/photos`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": file.type || "application/octet-stream" },
      body: file,
    });
    if (response.ok) return undefined;
    try {
      const body = await response.json();
      if (typeof body?.error?.message === "string") return sentence(body.error.message);
    } catch {
      // not JSON: a proxy's page
    }
    return `The photo was not added (the server said ${response.status}).`;
  } catch {
    return "The photo did not upload: check your connection and try again.";
  }
}

// "Add a photo" on a giveaway's page.
document.addEventListener("change", async (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.id !== "photo-input") return;
  const form = document.getElementById("photo-form");
  const file = input.files?.[0];
  input.value = "";
  if (!form || !file) return;
  showError("");
  form.dataset.uploading = "true";
  const refused = await upload(form.dataset.giveawayId, file);
  delete form.dataset.uploading;
  if (refused) showError(refused);
  else window.location.reload();
});

// The create form with a photo chosen: create (the same form post, read back), then send the photo.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.id !== "create-giveaway-form") return;
  const file = document.getElementById("create-photo")?.files?.[0];
  if (!file) return; // a plain post, as without script
  event.preventDefault();
  const giveawayId = form.elements.namedItem("giveawayId").value;
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  let created = false;
  try {
    const response = await fetch(form.action, { method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)) });
    created = response.ok && response.redirected && new URL(response.url).pathname === `/giveaways/${giveawayId}`;
  } catch {
    created = false;
  }
  // Refused (or no answer): the plain post again, without the photo, shows why (the same id is the same giveaway).
  if (!created) return HTMLFormElement.prototype.submit.call(form);
  const refused = await upload(giveawayId, file);
  if (refused) sessionStorage.setItem(carriedError, refused);
  window.location.assign(`/giveaways/${giveawayId}`);
});

// Without this script the photo fields stay hidden; a fresh card from page.js is revealed too.
function reveal() {
  for (const id of ["photo-form", "create-photo-field"]) {
    const element = document.getElementById(id);
    if (element) element.hidden = false;
  }
}
reveal();
new MutationObserver(reveal).observe(document.body, { childList: true, subtree: true });
const carried = sessionStorage.getItem(carriedError);
if (carried && document.getElementById("photo-error")) {
  sessionStorage.removeItem(carriedError);
  showError(carried);
}
