/* What the kiosk's modules share: the page's state, its timers, which kiosk this is, the default language. */

export var DEFAULT_LANG_KEY = "loket.kiosk.lang";

export var state = {
  services: [],
  priorities: [],
  office: null,
  current: null, // the service shown in the detail screen
  priority: null, // chosen priority code, null for the regular queue
  ticket: null, // the last issued ticket (for re-rendering on a language switch)
  lifeEvent: null, // the life event chosen on the start screen (life_events.js), null for every service
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

// The pairing code the admin gave this kiosk (admin > devices > pair): kept here, sent with every ticket request.
// The admin's link opens /kiosk/?kiosk=NAME#pair=CODE once: the code is kept and the address forgets it.
export var TOKEN_KEY = "loket.kiosk.token";
(function () {
  var match = /(?:^#|&)pair=([0-9]{8,40})/.exec(window.location.hash || "");
  if (!match) return;
  storage(TOKEN_KEY, match[1]);
  try {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  } catch {
    /* the code stays in the address bar of a kiosk nobody can reach */
  }
})();

export function kioskToken() {
  return storage(TOKEN_KEY) || null;
}

/** The headers that say which paired kiosk asks (none when unpaired). */
export function kioskHeaders() {
  var token = kioskToken();
  return token ? { "X-Loket-Kiosk-Token": token } : {};
}

export function defaultLang() {
  return storage(DEFAULT_LANG_KEY) === "en" ? "en" : "id";
}
