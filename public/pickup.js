// The pickup in the chat: the proposal form sends the browser's time zone, and pickup notices
// (reminders, a redraw won, a cancellation) also show as desktop notifications when allowed.
(function () {
  "use strict";

  // datetime-local fields carry no zone: tell the server this browser's offset when a form is sent.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var fields = form.querySelectorAll("input.tz-offset");
      for (var i = 0; i < fields.length; i++) fields[i].value = String(new Date().getTimezoneOffset());
    },
    true,
  );

  // Permission is asked only by "Turn on notifications" (pushNotifications.js), never by another click.

  function notify(notice) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    if (notice.getAttribute("data-desktop") !== "true") return;
    try {
      new Notification("handoff", { body: notice.textContent || "", tag: "pickup-" + notice.getAttribute("data-giveaway-id") });
    } catch (_error) {
      // Some browsers only allow notifications from a service worker: the notice on the page stays.
    }
  }

  function watch() {
    var notices = document.getElementById("notices");
    if (!notices) return;
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) {
        var added = changes[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          var node = added[j];
          if (node instanceof HTMLElement && node.classList.contains("pickup-notice")) notify(node);
        }
      }
    }).observe(notices, { childList: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
