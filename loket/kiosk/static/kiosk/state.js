/* What the kiosk's modules share: the page's state, its timers, which kiosk this is, the default language. */

export var DEFAULT_LANG_KEY = "loket.kiosk.lang";

export var state = {
  services: [],
  priorities: [],
  office: null,
  current: null, // the service shown in the detail screen
  priority: null, // chosen priority code, null for the regular queue
  ticket: null, // the last issued ticket (for re-rendering on a language switch)
  busy: false,
  loadSeq: 0,
};
export var timers = { countdown: null, idle: null, refresh: null, live: null, hold: null, staffIdle: null };

export var $ = function (id) {
  return document.getElementById(id);
};

export function storage(key, value) {
  try {
    if (value === undefined) return window.localStorage.getItem(key);
    window.localStorage.setItem(key, value);
  } catch {
    /* localStorage disabled: nothing remembered */
  }
  return null;
}

// Which kiosk this is (for its own printer): /kiosk/?kiosk=lobby1 once, remembered after.
export var kioskId = (function () {
  var key = "loket.kiosk";
  try {
    var fromUrl = new URLSearchParams(window.location.search).get("kiosk");
    if (fromUrl) storage(key, fromUrl);
    return fromUrl || storage(key) || null;
  } catch {
    return null;
  }
})();

export function defaultLang() {
  return storage(DEFAULT_LANG_KEY) === "en" ? "en" : "id";
}
