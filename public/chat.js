// The chat page on top of htmx + hx-sse: connection state, sending (chatSend.js), the layout of
// the conversation (chatLayout.js), scrolling, read marks, desktop notifications, and dropping a
// message the page already shows (a resumed stream never repeats one, but a manual reconnect or
// a retried page load must not either). Without this script the page still works: the form posts
// and redirects back.
import { layOutMessages } from "./chatLayout.js";
import { startSending } from "./chatSend.js";
import { startComposer } from "./chatComposer.js";
import { startMessageActions } from "./chatMessages.js";
import { announceUnseen } from "./page.js";

const chat = document.getElementById("chat");
if (chat) startChat(chat);

function startChat(chat) {
  const giveawayId = chat.dataset.giveawayId;
  const scroller = document.getElementById("message-scroller");
  const messages = document.getElementById("messages");
  const streamElt = document.getElementById("chat-stream");
  const status = document.getElementById("connection-status");
  const hint = document.getElementById("new-messages-hint");
  // Absent where one cannot send (a former winner, a cancelled or closed conversation).
  const form = document.getElementById("message-form");
  const box = document.getElementById("message-content");
  const coarsePointer = window.matchMedia("(pointer: coarse)").matches;
  const reconnectCapMs = 750; // with ±30% jitter: back within a second of the server

  let connection = "connecting";
  let stickToBottom = true;
  // Where the reader's mark stood when the page was drawn (a GET changes nothing; we post the mark).
  let readUpTo = Number(messages.dataset.readRevision ?? -1);
  let reconnectDelay = 250;
  let reconnectTimer = null;
  let unseen = 0; // the other person's messages that arrived while the tab was hidden

  // ---- what the page shows -------------------------------------------------------------
  const stored = () => messages.querySelectorAll(":scope > .message[data-revision]");
  const lastRevision = () => {
    const all = stored();
    return Number(all[all.length - 1]?.dataset.revision ?? -1);
  };
  const lastTheirsRevision = () => {
    const theirs = messages.querySelectorAll(":scope > .message.theirs[data-revision]");
    return Number(theirs[theirs.length - 1]?.dataset.revision ?? -1);
  };

  // ---- scrolling: the scroller is bottom-anchored (column-reverse), so 0 is the newest ----
  const distanceFromBottom = () => Math.abs(scroller.scrollTop);
  const nearBottom = () => distanceFromBottom() < 48;
  const scrollToNewest = () => {
    scroller.scrollTop = 0;
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
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      unseen = 0;
      announceUnseen(0);
    }
    markRead();
  });
  setTimeout(markRead, 0); // the page just drawn: mark what it shows, if it is in view

  // ---- connection state -----------------------------------------------------------------
  function showSendError(text) {
    const error = document.getElementById("message-error");
    if (!error) return;
    error.textContent = text;
    error.hidden = !text;
  }
  const composer = form && startComposer({
    form,
    giveawayId,
    showError: showSendError,
    isConnected: () => connection === "connected",
    sendNow: () => form.requestSubmit(),
  });
  const sending = form && startSending({
    form,
    messages,
    composer,
    isConnected: () => connection === "connected",
    showError: showSendError,
    onQueued: () => {
      layOutMessages(messages);
      scrollToNewest();
    },
  });
  const actions = startMessageActions({ chat, messages, composer: composer ?? { replyTo() {}, edit() {} }, showError: showSendError, onOlder: () => layOutMessages(messages) });

  // Two states, each in its own words: ours ("Reconnecting…") and the other person's ("ann · online").
  let everConnected = false;
  function setConnection(state) {
    if (state === connection && status.dataset.state === state) return;
    connection = state;
    status.dataset.state = state;
    everConnected ||= state === "connected";
    status.querySelector(".label").textContent = state === "connected" ? "Connected" : everConnected ? "Reconnecting…" : "Connecting…";
    sending?.syncButton(state === "connected");
    if (state !== "connected") {
      // What we knew of the other person is stale until the stream says again: only their name stays.
      const presence = document.getElementById("presence");
      if (presence && presence.dataset.online !== "unknown") {
        presence.dataset.online = "unknown";
        presence.querySelector(".presence-state")?.replaceChildren();
      }
    } else {
      showSendError("");
    }
  }
  const goToSignIn = () => {
    window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
  };

  /** The live connection, if hx-sse has one: cut it so it reconnects, or hurry a waiting reconnect. */
  const sseConnection = () => streamElt._htmx?.sse;
  window.addEventListener("offline", () => {
    setConnection("connecting");
    sseConnection()?.reader?.cancel();
  });
  window.addEventListener("online", () => {
    sseConnection()?.delayCanceller?.();
    if (!sseConnection()) reconnectNow();
  });

  // hx-sse reconnects by itself (sending Last-Event-ID); this covers the cases where it gave up or
  // never connected: open the stream again after the last message the page shows.
  function reconnectNow() {
    if (!streamElt.isConnected || sseConnection()) return;
    htmx.ajax("GET", `/messages/${encodeURIComponent(giveawayId)}/stream?after=${lastRevision()}`, { source: streamElt }).catch(() => scheduleReconnect());
  }
  function scheduleReconnect() {
    if (reconnectTimer !== null) return;
    const jittered = reconnectDelay * (0.7 + Math.random() * 0.6);
    reconnectTimer = window.setTimeout(() => {
      reconnectTimer = null;
      reconnectNow();
    }, jittered);
    reconnectDelay = Math.min(reconnectDelay * 2, reconnectCapMs);
  }

  streamElt.addEventListener("htmx:sse:before:connection", () => setConnection("connecting"));
  streamElt.addEventListener("htmx:sse:after:connection", (event) => {
    const code = event.detail?.connection?.status;
    if (code && code !== 200) return;
    reconnectDelay = 250;
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
  for (const name of ["htmx:error", "htmx:response:error"]) {
    streamElt.addEventListener(name, () => {
      setConnection("connecting");
      scheduleReconnect();
    });
  }
  streamElt.addEventListener("expired", goToSignIn);

  // ---- stream frames: drop what the page already shows, then keep the view at the newest ---
  const parser = document.createElement("template");
  let revisionBeforeFrame = -1;
  streamElt.addEventListener("htmx:sse:before:message", (event) => {
    if (event.detail.message.event) return; // a named event, not HTML to swap in
    parser.innerHTML = event.detail.message.data; // inert: a template runs nothing
    // An edit, removal or reaction replaces its message in place (hx-swap-oob): not a repeat.
    for (const element of parser.content.querySelectorAll(".message[id]:not([hx-swap-oob])")) {
      if (document.getElementById(element.id)) {
        event.preventDefault();
        return;
      }
      if (element.dataset.messageId) sending?.delivered(element.dataset.messageId);
    }
    stickToBottom = nearBottom();
    revisionBeforeFrame = lastRevision();
  });
  streamElt.addEventListener("htmx:sse:after:message", () => {
    const theirNewMessage = lastTheirsRevision() > revisionBeforeFrame;
    actions.afterFrame({ theirNewMessage });
    // A redraw or a cancel took the message box away: the page as the server now draws it says why.
    if (form && document.querySelector("#pickup-panel [data-composer-closed]")) {
      window.location.reload();
      return;
    }
    if (lastRevision() <= revisionBeforeFrame) {
      layOutMessages(messages); // a message changed in place: its group and times again
      return; // presence, badge, a read mark, typing
    }
    revisionBeforeFrame = lastRevision();
    messages.dataset.lastRevision = String(lastRevision());
    // Messages still being sent stay the newest on screen until the stream brings them back.
    for (const pending of messages.querySelectorAll(":scope > .message.pending")) messages.append(pending);
    layOutMessages(messages);
    const newest = stored()[stored().length - 1];
    const mine = newest?.dataset.mine === "true";
    if (!mine) notifyHidden(newest);
    if (stickToBottom || mine) {
      scrollToNewest();
      markRead();
    } else {
      hint.hidden = false;
    }
  });

  // ---- notifications while the tab is hidden ---------------------------------------------
  // (permission is asked by "Turn on notifications", pushNotifications.js; the page keeps its own notices)
  function notifyHidden(message) {
    if (!message || document.visibilityState === "visible") return;
    unseen += 1;
    announceUnseen(unseen);
    // Muted: the count in the title still grows, but no desktop notification.
    if (!("Notification" in window) || Notification.permission !== "granted" || chat.dataset.muted === "true") return;
    const who = chat.dataset.otherName;
    const text = message.querySelector(".bubble")?.textContent ?? "";
    const note = new Notification(`${who} · ${chat.dataset.title}`, { body: text.slice(0, 140), tag: `handoff-${giveawayId}`, icon: "/assets/favicon.svg" });
    note.addEventListener("click", () => {
      window.focus();
      note.close();
    });
  }

  // Enter sends, Shift+Enter starts a new line (on a keyboard; phones keep Enter for new lines).
  box?.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || coarsePointer) return;
    if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    event.preventDefault();
    form.requestSubmit();
  });

  // ---- start -----------------------------------------------------------------------------
  status.hidden = false;
  connection = "";
  setConnection("connecting");
  layOutMessages(messages);
  scrollToNewest();
}
