// The chat page on top of htmx + hx-sse: connection state, sending, scrolling, read marks, and
// dropping a message the page already shows (a resumed stream never repeats one, but a manual
// reconnect or a retried page load must not either). Without this script the page still works:
// the form posts and redirects back.
(() => {
  "use strict";
  const chat = document.getElementById("chat");
  if (!chat) return;

  const giveawayId = chat.dataset.giveawayId;
  const scroller = document.getElementById("message-scroller");
  const messages = document.getElementById("messages");
  const streamElt = document.getElementById("chat-stream");
  const status = document.getElementById("connection-status");
  const hint = document.getElementById("new-messages-hint");
  const coarsePointer = window.matchMedia("(pointer: coarse)").matches;

  let connection = "connecting";
  let sending = false;
  let stickToBottom = true;
  let revisionBeforeFrame = -1;
  // The page load marked everything it showed as read.
  let readUpTo = Number(messages.dataset.lastRevision);
  let reconnectDelay = 1000;
  let reconnectTimer = null;

  // ---- what the page shows -------------------------------------------------------------
  const lastRevision = () => Number(messages.lastElementChild?.dataset.revision ?? -1);
  const lastTheirsRevision = () => {
    const theirs = messages.querySelectorAll(".message.theirs");
    return Number(theirs[theirs.length - 1]?.dataset.revision ?? -1);
  };
  const messageForm = () => document.getElementById("message-form");
  const isMessageForm = (event) => event.detail?.ctx?.sourceElement?.id === "message-form";

  // ---- times in the reader's own zone ---------------------------------------------------
  const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const dayAndTime = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  function localiseTimes(root) {
    for (const time of root.querySelectorAll("time[datetime]:not([data-local])")) {
      const date = new Date(time.dateTime);
      if (Number.isNaN(date.getTime())) continue;
      const today = date.toDateString() === new Date().toDateString();
      time.textContent = (today ? timeOnly : dayAndTime).format(date);
      time.title = date.toLocaleString();
      time.dataset.local = "true";
    }
  }

  // ---- scrolling: follow the newest unless the reader scrolled up ------------------------
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  const scrollToNewest = () => {
    scroller.scrollTop = scroller.scrollHeight;
    hint.hidden = true;
  };
  scroller.addEventListener("scroll", () => {
    stickToBottom = nearBottom();
    if (stickToBottom) {
      hint.hidden = true;
      markRead();
    }
  });
  hint.addEventListener("click", () => {
    scrollToNewest();
    markRead();
  });

  // ---- read marks: the reader is at the newest message, in a visible tab -----------------
  function markRead() {
    if (document.visibilityState !== "visible" || !nearBottom()) return;
    if (lastTheirsRevision() <= readUpTo) return; // nothing new from the other person
    const previous = readUpTo;
    const revision = lastRevision();
    readUpTo = revision;
    fetch(`/messages/${encodeURIComponent(giveawayId)}/read`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ revision: String(revision) }),
    })
      .then((response) => {
        if (!response.ok) readUpTo = previous;
      })
      .catch(() => {
        readUpTo = previous; // tried again on the next message or scroll
      });
  }
  document.addEventListener("visibilitychange", markRead);

  // ---- connection state and the send button ----------------------------------------------
  function syncSendState() {
    const form = messageForm();
    if (!form) return;
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = connection !== "connected" || sending;
    form.dataset.state = sending ? "sending" : connection === "connected" ? "ready" : "offline";
    form.setAttribute("aria-busy", String(sending));
  }
  function setConnection(state) {
    connection = state;
    status.dataset.state = state;
    status.querySelector(".label").textContent = state === "connected" ? "Connected" : "Connecting…";
    syncSendState();
  }
  function showSendError(text) {
    const error = document.getElementById("message-error");
    if (!error) return;
    error.textContent = text;
    error.hidden = !text;
  }
  const goToSignIn = () => {
    window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
  };

  // hx-sse reconnects by itself (sending Last-Event-ID); this covers the cases where it gave up or
  // never connected: open the stream again after the last message the page shows.
  function scheduleReconnect() {
    if (reconnectTimer !== null) return;
    reconnectTimer = window.setTimeout(() => {
      reconnectTimer = null;
      if (!streamElt.isConnected || streamElt._htmx?.sse) return;
      htmx.ajax("GET", `/messages/${encodeURIComponent(giveawayId)}/stream?after=${lastRevision()}`, { source: streamElt }).catch(() => scheduleReconnect());
    }, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 30000);
  }

  streamElt.addEventListener("htmx:sse:before:connection", () => setConnection("connecting"));
  streamElt.addEventListener("htmx:sse:after:connection", () => {
    reconnectDelay = 1000;
    setConnection("connected");
  });
  streamElt.addEventListener("htmx:sse:error", (event) => {
    setConnection("connecting");
    if (event.detail?.status === 401) goToSignIn();
  });
  streamElt.addEventListener("htmx:sse:close", () => {
    setConnection("connecting");
    scheduleReconnect();
  });
  // The first connection failed (network down, or a refusal that was not a stream).
  streamElt.addEventListener("htmx:error", () => {
    setConnection("connecting");
    scheduleReconnect();
  });
  streamElt.addEventListener("htmx:response:error", () => {
    setConnection("connecting");
    scheduleReconnect();
  });
  streamElt.addEventListener("expired", goToSignIn);

  // ---- stream frames: drop what the page already shows, then keep the view at the newest ---
  const parser = document.createElement("template");
  streamElt.addEventListener("htmx:sse:before:message", (event) => {
    parser.innerHTML = event.detail.message.data; // inert: a template runs nothing
    for (const element of parser.content.querySelectorAll(".message[id]")) {
      if (document.getElementById(element.id)) {
        event.preventDefault();
        return;
      }
    }
    stickToBottom = nearBottom();
    revisionBeforeFrame = lastRevision();
  });
  streamElt.addEventListener("htmx:sse:after:message", () => {
    const newest = messages.lastElementChild;
    if (!newest || lastRevision() <= revisionBeforeFrame) return; // presence or badge
    messages.dataset.lastRevision = String(lastRevision());
    localiseTimes(messages);
    if (stickToBottom || newest.dataset.mine === "true") {
      scrollToNewest();
      markRead();
    } else {
      hint.hidden = false;
    }
  });

  // ---- sending ---------------------------------------------------------------------------
  document.addEventListener("htmx:config:request", (event) => {
    if (!isMessageForm(event)) return;
    const text = document.getElementById("message-content")?.value ?? "";
    if (connection !== "connected") {
      event.preventDefault();
      showSendError("You are offline. Your message is kept; send it once the chat has reconnected.");
    } else if (!text.trim()) {
      event.preventDefault();
    }
  });
  document.addEventListener("htmx:before:request", (event) => {
    if (!isMessageForm(event)) return;
    sending = true;
    showSendError("");
    const box = document.getElementById("message-content");
    if (box) box.readOnly = true;
    syncSendState();
  });
  document.addEventListener("htmx:error", (event) => {
    if (!isMessageForm(event)) return;
    // The form was not replaced: the text stays; the same hidden id makes a retry store it once.
    showSendError("Could not send. Check your connection, then press Send again.");
  });
  document.addEventListener("htmx:finally:request", (event) => {
    if (!isMessageForm(event)) return;
    sending = false;
    const box = document.getElementById("message-content");
    if (box) box.readOnly = false;
    syncSendState();
  });
  document.addEventListener("htmx:after:swap", syncSendState);

  // Enter sends, Shift+Enter starts a new line (on a keyboard; phones keep Enter for new lines).
  document.addEventListener("keydown", (event) => {
    if (event.target?.id !== "message-content" || event.key !== "Enter" || coarsePointer) return;
    if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    event.preventDefault();
    messageForm()?.requestSubmit();
  });

  // ---- start -----------------------------------------------------------------------------
  status.hidden = false;
  setConnection("connecting");
  localiseTimes(document);
  scrollToNewest();
})();
