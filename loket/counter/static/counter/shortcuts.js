/* Keyboard shortcuts of the desk, shown on their buttons (<kbd>): F2 call next, F3 call again, F4 start (or
 * call this number), F8 finish and pass on, F9 finish and call the next. Function keys, because a USB scanner
 * types letters and digits into the page. Never while the officer types in a field (the empty scan field, which
 * holds the focus between residents, does not count) nor with a dialog open. */
import { $ } from "loket/dom.js";

/** Each key and the buttons it presses, the first one on screen and enabled. */
const KEYS = {
  F2: ["call-next"],
  F3: ["act-recall"],
  F4: ["act-start", "act-call"],
  F8: ["act-advance", "act-hand-over"],
  F9: ["act-done-next"],
};

function typing(target) {
  if (!target || !target.tagName) return false;
  if (target.id === "scan-input") return target.value.trim() !== "";
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) !== -1;
}

function usable(button) {
  return button && !button.disabled && button.offsetParent !== null;
}

document.addEventListener("keydown", (ev) => {
  const ids = KEYS[ev.key];
  if (!ids || ev.ctrlKey || ev.altKey || ev.metaKey || ev.shiftKey) return;
  if (document.body.getAttribute("data-view") !== "desk") return;
  if (typing(ev.target) || document.querySelector("dialog[open]")) return;
  const button = ids.map((id) => $(id)).find(usable);
  ev.preventDefault(); // F3 would open the browser's search, F2 nothing: the desk's keys either way
  if (button) button.click();
});
