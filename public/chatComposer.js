// What the send form carries besides the text: the message it replies to, files and voice notes
// uploaded ahead of the send (the JSON API, same session), an edit in progress, and the "typing"
// signal (throttled). Without script, Reply is a link and the form posts as it is.

const typingEveryMs = 3000;

/** @param {{ form: HTMLFormElement, giveawayId: string, showError: (text: string) => void, isConnected: () => boolean, sendNow: () => void }} options */
export function startComposer({ form, giveawayId, showError, isConnected, sendNow }) {
  const api = `/api/giveaways/${encodeURIComponent(giveawayId)}`;
  const box = form.querySelector("textarea[name=content]");
  const replyField = document.getElementById("reply-to");
  const replyBar = document.getElementById("reply-bar");
  const editBar = document.getElementById("edit-bar");
  const chips = document.getElementById("attachment-chips");
  const fileInput = document.getElementById("attach-input");
  const recordButton = document.getElementById("record-button");
  const sendButton = document.getElementById("send-button");
  /** @type {{ id: string, label: string, kind: string }[]} */
  let attachments = [];
  let editingId;
  let lastTypingAt = 0;

  document.getElementById("composer-tools").hidden = false;

  // ---- reply ----------------------------------------------------------------------------
  function replyTo(message) {
    stopEditing();
    replyField.value = message.dataset.messageId;
    replyBar.querySelector(".reply-bar-sender").textContent = message.dataset.mine === "true" ? "You" : message.querySelector(".meta .sender")?.textContent ?? "";
    replyBar.querySelector(".reply-bar-quote").textContent = (message.querySelector(".bubble")?.textContent ?? "").slice(0, 140);
    replyBar.hidden = false;
    box.focus();
  }
  function clearReply() {
    replyField.value = "";
    replyBar.hidden = true;
  }
  replyBar.querySelector(".reply-cancel").addEventListener("click", (event) => {
    event.preventDefault();
    clearReply();
  });

  // ---- edit -----------------------------------------------------------------------------
  function edit(message) {
    clearReply();
    editingId = message.dataset.messageId;
    box.value = message.querySelector(".bubble")?.textContent ?? "";
    editBar.hidden = false;
    sendButton.textContent = "Save";
    box.focus();
  }
  function stopEditing() {
    if (editingId === undefined) return;
    editingId = undefined;
    editBar.hidden = true;
    sendButton.textContent = "Send";
    box.value = "";
  }
  document.getElementById("edit-cancel").addEventListener("click", stopEditing);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") stopEditing();
  });
  async function saveEdit(content) {
    const id = editingId;
    try {
      const response = await fetch(`${api}/messages/${encodeURIComponent(id)}`, {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ content }),
      });
      if (!response.ok) return showError(await errorText(response));
      stopEditing(); // the edited message arrives on the stream
    } catch {
      showError("Not saved: check your connection.");
    }
  }

  // ---- files and voice notes --------------------------------------------------------------
  function renderChips() {
    chips.replaceChildren(
      ...attachments.map((attachment, index) => {
        const chip = document.createElement("li");
        chip.className = "attachment-chip";
        chip.dataset.kind = attachment.kind;
        chip.textContent = attachment.label;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link-button";
        remove.textContent = "✕";
        remove.setAttribute("aria-label", `Remove ${attachment.label}`);
        remove.addEventListener("click", () => {
          attachments.splice(index, 1);
          renderChips();
        });
        chip.append(" ", remove);
        return chip;
      }),
    );
    chips.hidden = attachments.length === 0;
    // A photo or voice note may go without words (its caption says what it is).
    box.required = attachments.length === 0;
  }
  async function upload(blob, label, kind) {
    if (!isConnected()) return showError("You are offline: attach the file once the chat has reconnected.");
    showError("");
    form.dataset.uploading = "true";
    try {
      const response = await fetch(`${api}/attachments`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": blob.type || "application/octet-stream" },
        body: blob,
      });
      if (!response.ok) return showError(await errorText(response));
      const stored = await response.json();
      attachments.push({ id: stored.id, label, kind });
      renderChips();
      return stored;
    } catch {
      showError("The file did not upload: check your connection.");
    } finally {
      delete form.dataset.uploading;
    }
  }
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    const kind = file.type.startsWith("image/") ? "image" : file.type.startsWith("audio/") ? "audio" : "file";
    await upload(file, file.name, kind);
  });

  let recorder;
  let recordingStopped;
  recordButton.hidden = !("MediaRecorder" in window) || !navigator.mediaDevices?.getUserMedia;
  recordButton.addEventListener("click", async () => {
    if (recorder?.state === "recording") return recorder.stop();
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      return showError("The microphone is not available: allow it for this site to record a voice note.");
    }
    const type = MediaRecorder.isTypeSupported("audio/webm;codecs=opus") ? "audio/webm;codecs=opus" : "";
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const parts = [];
    recorder.addEventListener("dataavailable", (event) => {
      parts.push(event.data);
      recordButton.dataset.parts = String(parts.length); // how much is recorded, for the page's tests
    });
    recordingStopped = new Promise((resolve) => recorder.addEventListener("stop", resolve, { once: true }));
    recorder.start(250);
    recordButton.setAttribute("aria-pressed", "true");
    recordButton.title = "Stop and send the voice note";
    await recordingStopped;
    for (const track of stream.getTracks()) track.stop();
    recordButton.setAttribute("aria-pressed", "false");
    recordButton.title = "Record a voice note";
    const blob = new Blob(parts, { type: (recorder.mimeType || "audio/webm").split(";")[0] });
    // A voice note goes at once, like in any chat.
    if (await upload(blob, "Voice note", "audio")) sendNow();
  });

  // ---- typing -----------------------------------------------------------------------------
  box.addEventListener("input", () => {
    const now = Date.now();
    if (editingId !== undefined || !box.value.trim() || now - lastTypingAt < typingEveryMs || !isConnected()) return;
    lastTypingAt = now;
    fetch(`${api}/typing`, { method: "POST", credentials: "same-origin" }).catch(() => {});
  });

  const captionOf = () => {
    if (attachments.length === 0) return "";
    const kinds = new Set(attachments.map((a) => a.kind));
    if (kinds.size === 1 && kinds.has("image")) return attachments.length === 1 ? "📷 Photo" : `📷 ${attachments.length} photos`;
    if (kinds.size === 1 && kinds.has("audio")) return "🎤 Voice note";
    return `📎 ${attachments.map((a) => a.label).join(", ")}`;
  };

  return {
    replyTo,
    edit,
    links: () => ({ replyTo: replyField.value, attachmentIds: attachments.map((a) => a.id).join(","), caption: captionOf() }),
    clear() {
      clearReply();
      attachments = [];
      renderChips();
      lastTypingAt = 0;
    },
    editing: () => editingId,
    saveEdit,
  };
}

async function errorText(response) {
  try {
    const body = await response.json();
    return body?.error?.message ?? `The server said ${response.status}.`;
  } catch {
    return `The server said ${response.status}.`;
  }
}
