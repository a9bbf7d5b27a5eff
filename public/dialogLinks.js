// A link with data-dialog="ID" leads to a page that works without script (the pickup sheet, a
// confirmation); with script it opens the <dialog id="ID"> already on this page instead, as a modal
// (Escape or its Cancel closes it; a tap on the backdrop too). Delegated: the pickup panel is swapped
// in place by the stream, its dialogs with it.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-dialog]") : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const dialog = document.getElementById(link.dataset.dialog ?? "");
  if (!(dialog instanceof HTMLDialogElement) || dialog.open) return;
  event.preventDefault();
  const menu = link.closest("details[open]");
  if (menu) menu.open = false;
  // Focus goes to the dialog's top, not its first field. Set now, not in the markup: an autofocus
  // on the page is refused (and reported) in a cross-origin frame, as when the platform embeds the chat.
  dialog.querySelector("[data-sheet-start]")?.setAttribute("autofocus", "");
  dialog.showModal();
});

// A press on the backdrop (outside the dialog's box) closes it, as sheets do on a phone.
document.addEventListener("click", (event) => {
  const dialog = event.target;
  if (!(dialog instanceof HTMLDialogElement) || !dialog.open) return;
  const box = dialog.getBoundingClientRect();
  const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
  if (!inside) dialog.close();
});
