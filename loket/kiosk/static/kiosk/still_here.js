/* "Masih di sini?" (issue 15): before an abandoned screen returns to the start, the resident who is still
 * reading gets a few seconds and one big button to stay. Any touch keeps the screen as it is. */
import { $ } from "./state.js";

export var PROMPT_SECONDS = 20;

var timer = null;
var left = 0;

export function promptShown() {
  return !$("still-here").hidden;
}

/** Ask; after PROMPT_SECONDS without a touch, `timedOut()` runs (the reset). */
export function askStillHere(timedOut) {
  dismissStillHere();
  left = PROMPT_SECONDS;
  $("still-here-count").textContent = String(left);
  $("still-here").hidden = false;
  timer = setInterval(function () {
    left -= 1;
    $("still-here-count").textContent = String(Math.max(left, 0));
    if (left <= 0) {
      dismissStillHere();
      timedOut();
    }
  }, 1000);
}

export function dismissStillHere() {
  clearInterval(timer);
  timer = null;
  $("still-here").hidden = true;
}
