// What one can do to the messages on the chat page, and what it shows about the other person:
// reactions (one tap toggles), reply, edit and remove within the window, the quote that jumps to
// its original, "Load older messages", mute, "Seen" under your last message, "ann is typing…".
// Each form also works without script; here they post in the background and the stream brings
// the change back to both people.
import { readableTime } from "./times.js";

/**
 * Asks before a message is removed, in the words of the confirmation page (src/http/pages/confirmations.ts).
 * @returns {Promise<boolean>}
 */
function confirmRemoval() {
  let dialog = document.getElementById("retract-dialog");
  if (!(dialog instanceof HTMLDialogElement)) {
    dialog = document.createElement("dialog");
    dialog.id = "retract-dialog";
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "retract-dialog-title");
    dialog.innerHTML = `<form method="dialog" class="confirm-form">
  <h2 class="confirm-question" id="retract-dialog-title">Remove this message?</h2>
  <p class="confirm-explanation">Both of you will see “message removed” instead.</p>
  <div class="confirm-actions"><button value="cancel" class="confirm-dismiss">Cancel</button><button value="remove" class="danger confirm-accept" id="confirm-retract">Remove</button></div>
</form>`;
    document.body.append(dialog);
  }
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "remove"), { once: true }));
}

/** @param {{ chat: HTMLElement, messages: HTMLElement, composer: { replyTo(m: HTMLElement): void, edit(m: HTMLElement): void }, showError: (text: string) => void, onOlder: () => void }} options */
export function startMessageActions({ chat, messages, composer, showError, onOlder }) {
  const giveawayId = chat.dataset.giveawayId;
  const postForm = async (form, extra = {}, url = form.action) => {
    const body = new URLSearchParams(new FormData(form));
    for (const [name, value] of Object.entries(extra)) body.set(name, value);
    try {
      const response = await fetch(url, { method: "POST", credentials: "same-origin", headers: { "HX-Request": "true" }, body });
      if (!response.ok) showError((await response.text()) || `The server said ${response.status}.`);
      return response.ok;
    } catch {
      showError("That did not reach the server: check your connection.");
      return false;
    }
  };

  messages.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (!form.matches(".reactions, .retract-form")) return;
    event.preventDefault();
    if (form.matches(".retract-form")) {
      // Without script the form opens a confirmation page; here the same question in a dialog.
      void confirmRemoval().then((confirmed) => confirmed && postForm(form, {}, `/messages/${giveawayId}/retract`));
      return;
    }
    const extra = event.submitter?.name ? { [event.submitter.name]: event.submitter.value } : {};
    form.querySelector("details")?.removeAttribute("open");
    void postForm(form, extra);
  });

  // ---- message actions on a touch screen: behind "⋯" (or a long press) ----------------------
  // messageMenu.css hides them under (hover: none) only while this class is on: without script they stay in view.
  document.documentElement.classList.add("message-menus");
  const showActions = (message, open) => {
    for (const other of messages.querySelectorAll(".message.actions-open")) {
      if (other === message && open) continue;
      other.classList.remove("actions-open");
      other.querySelector(".message-more")?.setAttribute("aria-expanded", "false");
    }
    if (!message) return;
    message.classList.toggle("actions-open", open);
    message.querySelector(".message-more")?.setAttribute("aria-expanded", String(open));
  };
  messages.addEventListener("click", (event) => {
    const more = event.target instanceof Element ? event.target.closest(".message-more") : null;
    if (!more) return;
    const message = more.closest(".message");
    showActions(message, !message.classList.contains("actions-open"));
  });
  document.addEventListener("keydown", (event) => {
    const open = messages.querySelector(".message.actions-open");
    if (event.key !== "Escape" || !open) return;
    showActions(open, false);
    open.querySelector(".message-more")?.focus();
  });
  let pressTimer = null;
  let pressStart = null;
  const cancelPress = () => {
    window.clearTimeout(pressTimer);
    pressTimer = null;
  };
  messages.addEventListener("pointerdown", (event) => {
    const message = event.target instanceof Element ? event.target.closest(".message:not(.system):not(.removed)") : null;
    if (event.pointerType !== "touch" || !message || event.target.closest("a, button, input, textarea, summary, audio")) return;
    pressStart = { x: event.clientX, y: event.clientY };
    pressTimer = window.setTimeout(() => showActions(message, true), 500);
  });
  messages.addEventListener("pointermove", (event) => {
    if (pressTimer && pressStart && Math.hypot(event.clientX - pressStart.x, event.clientY - pressStart.y) > 10) cancelPress();
  });
  for (const type of ["pointerup", "pointercancel"]) messages.addEventListener(type, cancelPress);

  messages.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const message = target?.closest(".message");
    if (!target || !message) return;
    if (target.closest(".reply-link")) {
      event.preventDefault();
      composer.replyTo(message);
    } else if (target.closest(".edit-button")) {
      composer.edit(message);
    } else if (target.closest(".reply-quote")) {
      const original = document.getElementById(`msg-${target.closest(".reply-quote").dataset.quotedRevision}`);
      if (!original) return; // not loaded: the link opens the history page that ends with it
      event.preventDefault();
      original.scrollIntoView({ block: "center" });
      original.classList.remove("flash");
      void original.offsetWidth; // restart the highlight
      original.classList.add("flash");
    }
  });

  /** Edit and Remove show only while the window is open (the server says no after it anyway). */
  function refreshEditable() {
    const now = Date.now();
    for (const message of messages.querySelectorAll(".message[data-editable-until]")) {
      const open = Date.parse(message.dataset.editableUntil) > now;
      for (const control of message.querySelectorAll(".edit-button, .retract-form")) control.hidden = !open;
    }
  }
  window.setInterval(refreshEditable, 15_000);

  // ---- "Load older messages": the page before, fetched and put on top ---------------------
  const older = document.getElementById("load-older");
  older?.addEventListener("click", async (event) => {
    event.preventDefault();
    older.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(older.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const first = Number(messages.querySelector("[data-revision]")?.dataset.revision ?? Number.MAX_SAFE_INTEGER);
      const earlier = [...(page.getElementById("messages")?.children ?? [])].filter(
        (element) => Number(element.dataset.revision ?? Number.MAX_SAFE_INTEGER) < first && !(element.id && document.getElementById(element.id)),
      );
      messages.prepend(...earlier.map((element) => document.adoptNode(element)));
      const next = page.getElementById("load-older");
      if (next) older.href = next.href;
      else older.closest(".older-hidden")?.remove();
      onOlder();
    } catch {
      showError("Older messages did not load: check your connection and try again.");
    } finally {
      older.removeAttribute("aria-busy");
    }
  });

  // ---- mute -------------------------------------------------------------------------------
  const muteForm = document.getElementById("mute-form");
  muteForm?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = muteForm.querySelector("input[name=muted]");
    if (!(await postForm(muteForm))) return;
    const muted = field.value === "1";
    chat.dataset.muted = String(muted);
    field.value = muted ? "0" : "1";
    const button = document.getElementById("mute-button");
    button.textContent = muted ? "Unmute" : "Mute";
    button.setAttribute("aria-pressed", String(muted));
  });

  // ---- what the other person did: read up to, typing --------------------------------------
  let otherRead = { upTo: Number(messages.dataset.otherReadRevision ?? -1), at: messages.dataset.otherReadAt ?? "" };
  const typingLine = document.getElementById("typing-indicator");
  let typingTimer = null;
  const stopTyping = () => {
    typingLine.hidden = true;
    typingLine.textContent = "";
  };

  /** "Seen" with its time under your newest message, once the other's mark reaches it. */
  function placeSeen() {
    const mark = document.getElementById("other-read-mark");
    if (mark?.dataset.upTo && Number(mark.dataset.upTo) > otherRead.upTo) otherRead = { upTo: Number(mark.dataset.upTo), at: mark.dataset.at ?? "" };
    const theirs = messages.querySelectorAll(":scope > .message.theirs[data-revision]");
    const newestTheirs = theirs[theirs.length - 1];
    // Sending reads everything before it.
    if (newestTheirs && Number(newestTheirs.dataset.revision) > otherRead.upTo) {
      otherRead = { upTo: Number(newestTheirs.dataset.revision), at: newestTheirs.querySelector("time[datetime]")?.dateTime ?? "" };
    }
    const mine = messages.querySelectorAll(":scope > .message.mine[data-revision]");
    const newestMine = mine[mine.length - 1];
    let seen = document.getElementById("seen-receipt");
    if (!newestMine || Number(newestMine.dataset.revision) > otherRead.upTo) return seen?.remove();
    if (!seen) {
      seen = document.createElement("p");
      seen.id = "seen-receipt";
      seen.className = "seen-receipt";
    }
    // Not a <time>: the message's own time stays the one <time> in it.
    const at = new Date(otherRead.at);
    seen.dataset.at = otherRead.at;
    seen.textContent = Number.isNaN(at.getTime()) ? "Seen" : `Seen ${readableTime(at)}`;
    if (seen.parentElement !== newestMine) newestMine.append(seen);
  }

  function showTyping() {
    const signal = document.getElementById("typing-signal");
    const until = Date.parse(signal?.dataset.until ?? "");
    if (!signal?.dataset.username || Number.isNaN(until) || until <= Date.now()) return;
    typingLine.textContent = `${signal.dataset.username} is typing…`;
    typingLine.hidden = false;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(stopTyping, until - Date.now());
    delete signal.dataset.username; // shown once per signal
  }

  refreshEditable();
  placeSeen();
  return {
    /** After every frame the stream swapped in. */
    afterFrame({ theirNewMessage }) {
      if (theirNewMessage) {
        window.clearTimeout(typingTimer);
        stopTyping();
      }
      showTyping();
      placeSeen();
      refreshEditable();
    },
  };
}
