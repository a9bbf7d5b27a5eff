// Sending from the chat page: each message shows at once as its own bubble ("Sending…"), becomes
// the stored message when the stream brings it back, or says "Not sent" with a retry. The hidden
// id chosen with the form is the message id, so a retry is stored once. Without this script the
// form posts and the server redirects back.

/** @param {{ form: HTMLFormElement, messages: HTMLElement, isConnected: () => boolean, showError: (text: string) => void, onQueued: () => void, composer: { links(): { replyTo: string, attachmentIds: string, caption: string }, clear(): void, editing(): string | undefined, saveEdit(content: string): Promise<void> } }} chat */
export function startSending(chat) {
  const { form, messages, composer } = chat;
  const box = form.querySelector("textarea[name=content]");
  const idField = form.querySelector("input[name=id]");
  const button = form.querySelector("button[type=submit]");

  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`);

  function pendingBubble(id, content) {
    const message = document.createElement("div");
    message.className = "message mine pending";
    message.id = `pending-${id}`;
    message.dataset.messageId = id;
    message.dataset.mine = "true";
    const bubble = document.createElement("p");
    bubble.className = "bubble";
    bubble.textContent = content;
    const meta = document.createElement("p");
    meta.className = "meta";
    const state = document.createElement("span");
    state.className = "delivery";
    meta.append(state);
    message.append(bubble, meta);
    return message;
  }

  function setState(message, state, reason = "") {
    message.dataset.state = state;
    const meta = message.querySelector(".meta");
    const label = message.querySelector(".delivery");
    meta.querySelector("button.retry")?.remove();
    if (state === "sending") label.textContent = "Sending…";
    else if (state === "sent") label.textContent = "Sent";
    else {
      label.textContent = reason ? `Not sent: ${reason}` : "Not sent.";
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "retry link-button";
      retry.textContent = "Retry";
      retry.addEventListener("click", () => post(message));
      meta.append(" ", retry);
    }
  }

  /** What the server said in its answer form (a refusal) — its own words, as text. */
  async function refusalText(response) {
    try {
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      return doc.getElementById("message-error")?.textContent?.trim() ?? "";
    } catch {
      return "";
    }
  }

  async function post(message) {
    if (!chat.isConnected()) {
      setState(message, "failed", "you are offline");
      return;
    }
    setState(message, "sending");
    const body = new URLSearchParams(new FormData(form));
    body.set("id", message.dataset.messageId);
    body.set("content", message.querySelector(".bubble").textContent);
    // What it answers and carries, as they were when it was sent (a retry sends the same).
    body.set("replyTo", message.dataset.replyTo ?? "");
    body.set("attachmentIds", message.dataset.attachmentIds ?? "");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
      if (!message.isConnected) return; // the stream already brought the stored message
      if (response.ok) setState(message, "sent");
      else if (response.status === 401) window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
      else setState(message, "failed", (await refusalText(response)) || `the server said ${response.status}`);
    } catch {
      if (message.isConnected) setState(message, "failed", "check your connection");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    const links = composer.links();
    // A photo or voice note alone still says what it is.
    const content = box.value.trim() ? box.value : links.caption || box.value;
    if (composer.editing()) {
      if (!content.trim()) return chat.showError("Write something, or remove the message instead.");
      void composer.saveEdit(content);
      return;
    }
    if (!content.trim()) {
      chat.showError(content ? "Write something to send: a message can't be only spaces." : "");
      return;
    }
    if (!chat.isConnected()) {
      chat.showError("You are offline. Your message is kept here; send it once the chat has reconnected.");
      return;
    }
    chat.showError("");
    const id = idField.value;
    const message = pendingBubble(id, content);
    message.dataset.replyTo = links.replyTo;
    message.dataset.attachmentIds = links.attachmentIds;
    composer.clear();
    messages.append(message);
    // The box is free at once for the next message, under a new id.
    box.value = "";
    idField.value = newId();
    chat.onQueued();
    void post(message);
  }, true);

  box.addEventListener("input", () => chat.showError(""));

  return {
    /** The stream delivered a stored message: its pending bubble (if this page sent it) goes. */
    delivered(messageId) {
      document.getElementById(`pending-${messageId}`)?.remove();
    },
    syncButton(connected) {
      button.disabled = !connected;
      form.dataset.state = connected ? "ready" : "offline";
    },
  };
}
