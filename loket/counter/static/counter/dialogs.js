/* The desk's <dialog>s: [data-close] buttons close them. */

/** Close a dialog if it is open. */
export function closeDialog(dialog) {
  if (dialog.open) dialog.close();
}

document.querySelectorAll("dialog [data-close]").forEach((b) => {
  b.addEventListener("click", () => closeDialog(b.closest("dialog")));
});
