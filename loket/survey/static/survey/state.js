/* What the survey's modules share: the page's state and timers, where it runs (kiosk or a counter's tablet). */

export var $ = function (id) {
  return document.getElementById(id);
};
export var body = document.body;
export var source = body.getAttribute("data-source") || "kiosk";
export var counterName = body.getAttribute("data-counter") || "";
export var returnUrl = body.getAttribute("data-return") || "";

export var state = {
  elements: [],
  code: null, // what the resident gave: a number or the QR text
  number: null, // the ticket number the server recognised
  index: 0,
  answers: {},
  busy: false,
  offer: null,
};
export var timers = { idle: null, thanks: null, offer: null };

/** The kiosk's default language (set in its staff panel), else Bahasa Indonesia. */
export function defaultLang() {
  try {
    return window.localStorage.getItem("loket.kiosk.lang") === "en" ? "en" : "id";
  } catch {
    return "id";
  }
}
