/* The screens (services, detail, check-in, ticket), the way back to the start, and the idle reset. */
import * as i18n from "loket/i18n.js";
import { $, defaultLang, state, timers } from "./state.js";
import { loadServices } from "./services.js";
import { cancelPad } from "./contact.js";
import { askStillHere, dismissStillHere, promptShown } from "./still_here.js";
import { largeText, resetAccess, stopReading } from "./access.js";
import { updateScrollHint } from "./scroll_hint.js";

var IDLE_SECONDS = 90; // an abandoned screen returns to the start (and to the default language)

export function screen() {
  return document.body.getAttribute("data-screen");
}

var shownListeners = [];

/** Call `fn(name)` whenever a screen is shown (a screen with a camera stops it when left). */
export function onShow(fn) {
  shownListeners.push(fn);
}

export function show(name) {
  ["services", "detail", "checkin", "ticket"].forEach(function (s) {
    $("screen-" + s).hidden = s !== name;
  });
  document.body.setAttribute("data-screen", name);
  window.scrollTo(0, 0);
  document.querySelector("#screen-detail .k-detail").scrollTop = 0; // its own scroll area in landscape
  clearInterval(timers.countdown);
  if (name !== "detail") stopReading();
  updateScrollHint();
  shownListeners.forEach(function (fn) {
    fn(name);
  });
  armIdle();
}

/** Back to the list of services (the resident's own "back"). */
export function home() {
  state.current = null;
  state.priority = null;
  state.ticket = null;
  show("services");
  loadServices();
}

/** Back to the start for the next resident: the list, the default language, no dialog. */
export function resetToStart() {
  $("kiosk-error").hidden = true;
  cancelPad(); // a pad left open: its tap takes no ticket
  dismissStillHere();
  resetAccess(); // the large text and the reading were this resident's
  state.lifeEvent = null;
  if (i18n.lang !== defaultLang()) i18n.setLang(defaultLang());
  home();
}

/** A touch or a scroll: someone is here (a "Masih di sini?" prompt goes), the idle time starts again. */
export function touched() {
  dismissStillHere();
  armIdle();
}

export function armIdle() {
  clearTimeout(timers.idle);
  timers.idle = setTimeout(onIdle, IDLE_SECONDS * 1000);
}

function onIdle() {
  if (!$("staff").hidden || screen() === "ticket") return armIdle(); // those have their own timers
  if (promptShown()) return; // it resets by itself
  var dirty =
    screen() !== "services" ||
    i18n.lang !== defaultLang() ||
    window.scrollY > 0 ||
    !$("kiosk-error").hidden ||
    largeText() ||
    !!state.lifeEvent;
  // Someone may still be reading: ask first (still_here.js), reset only when nobody answers.
  if (dirty) askStillHere(resetToStart);
  armIdle();
}

