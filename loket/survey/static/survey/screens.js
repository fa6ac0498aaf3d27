/* The four screens (start, rate, finish, thanks), the way back to the start, and the idle reset. */
import * as i18n from "loket/i18n.js";
import { $, body, returnUrl, state, timers, defaultLang } from "./state.js";
import { renderOffer } from "./offer.js";

var IDLE_SECONDS = 60; // an abandoned survey returns to the start (nothing is sent)

export function screen() {
  return body.getAttribute("data-screen");
}

export function show(name) {
  ["start", "rate", "finish", "thanks"].forEach(function (s) {
    $("screen-" + s).hidden = s !== name;
  });
  body.setAttribute("data-screen", name);
  window.scrollTo(0, 0);
  armIdle();
  if (name === "start") focusEntry();
}

export function focusEntry() {
  try {
    $("code-input").focus({ preventScroll: true });
  } catch {
    $("code-input").focus();
  }
}

/** Back to the start for the next resident; from the kiosk, back to the kiosk itself. */
export function resetToStart(leave) {
  clearInterval(timers.thanks);
  state.code = null;
  state.number = null;
  state.index = 0;
  state.answers = {};
  state.busy = false;
  $("code-input").value = "";
  $("comment").value = "";
  $("start-error").hidden = true;
  $("finish-error").hidden = true;
  setBusy($("start-next"), false, "next");
  setBusy($("submit"), false, "submit");
  if (leave && returnUrl) {
    window.location.assign(returnUrl);
    return;
  }
  if (i18n.lang !== defaultLang()) i18n.setLang(defaultLang());
  show("start");
  renderOffer();
}

export function armIdle() {
  clearTimeout(timers.idle);
  timers.idle = setTimeout(onIdle, IDLE_SECONDS * 1000);
}

function onIdle() {
  if (screen() === "thanks") return armIdle(); // it has its own countdown
  var dirty = screen() !== "start" || $("code-input").value || i18n.lang !== defaultLang() || !$("start-error").hidden;
  if (dirty || returnUrl) return resetToStart(true);
  armIdle();
}

export function setBusy(button, busy, key) {
  button.disabled = busy;
  button.textContent = i18n.t(busy ? (key === "submit" ? "sending" : "checking") : key);
}
