/* The clock and the date; a new day asks the server for the state again (it starts afresh at midnight). */
import { hhmmss, longDate } from "loket/time.js";
import { $ } from "./state.js";
import { requestSync } from "./socket.js";

var shownDate = "";

export function tick(socket) {
  var now = new Date();
  $("clock").textContent = hhmmss(now);
  var date = longDate(now);
  if (date !== shownDate) {
    // a new day (or language): the server's state starts afresh at midnight
    if (shownDate && socket) requestSync();
    shownDate = date;
    $("date").textContent = date;
  }
}

/** The date again in the page's language (after a switch), without asking the server for a new day. */
export function showDate() {
  shownDate = longDate(new Date());
  $("date").textContent = shownDate;
}
