/* A new call: large on screen, then announced, one at a time; shorter on screen when more are waiting. */
import { $ } from "./state.js";
import { fitText } from "./fit.js";
import { markCounter } from "./counters.js";
import { announce } from "./voice.js";

var FLASH_SECONDS = 6; // a new call fills the screen at least this long …
var FLASH_BUSY_SECONDS = 3; // … or this long when more calls are waiting to be shown

var waiting = []; // calls not shown yet
var current = null; // the call on screen now
var currentSpoken = false;
var currentSince = 0;
var lingerTimer = null;

function showCall(call) {
  $("flash-number").textContent = call.number;
  $("flash-counter").textContent = call.counter || "";
  $("flash-recall").hidden = !call.recall;
  var box = $("call-flash");
  box.setAttribute("data-call-number", call.number);
  box.setAttribute("data-call-counter", call.counter || "");
  box.classList.toggle("d-flash-recall", !!call.recall);
  box.hidden = false;
  fitText($("flash-number"));
  fitText($("flash-counter"));
  // restart the entrance animation for back-to-back calls
  box.classList.remove("d-flash-in");
  void box.offsetWidth;
  box.classList.add("d-flash-in");
  markCounter(call.counter);
}

function nextCall() {
  clearTimeout(lingerTimer);
  current = waiting.shift() || null;
  if (!current) {
    $("call-flash").hidden = true;
    return;
  }
  var mine = current;
  currentSpoken = false;
  currentSince = Date.now();
  showCall(mine);
  var spoken;
  try {
    spoken = announce(mine);
  } catch {
    spoken = Promise.resolve("error"); // a broken voice must never stop the board
  }
  spoken.then(function () {
    if (current !== mine) return;
    currentSpoken = true;
    linger();
  });
}

/** Keep the call on screen for its minimum time, shorter when others are waiting. */
function linger() {
  if (!current || !currentSpoken) return;
  clearTimeout(lingerTimer);
  var left = currentSince + (waiting.length ? FLASH_BUSY_SECONDS : FLASH_SECONDS) * 1000 - Date.now();
  if (left <= 0) nextCall();
  else lingerTimer = setTimeout(nextCall, left);
}

export function present(call) {
  waiting.push(call);
  if (!current) nextCall();
  else linger();
}

/** Calls not yet announced: waiting ones, plus the one on screen while it is being said. */
export function queueLength() {
  return waiting.length + (current && !currentSpoken ? 1 : 0);
}
