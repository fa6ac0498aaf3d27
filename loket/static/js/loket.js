/* Loket: helpers shared by the kiosk, display and counter pages.
 * Vanilla JS, no build step. Exposes one global, `Loket`.
 */
(function () {
  "use strict";

  var LANG_KEY = "loket.lang";
  var listeners = [];
  var strings = {};

  function storedLang() {
    try {
      var fromUrl = new URLSearchParams(window.location.search).get("lang");
      if (fromUrl === "id" || fromUrl === "en") {
        window.localStorage.setItem(LANG_KEY, fromUrl);
        return fromUrl;
      }
      var saved = window.localStorage.getItem(LANG_KEY);
      return saved === "en" ? "en" : "id";
    } catch (e) {
      return "id"; // localStorage may be disabled: Bahasa Indonesia is the default
    }
  }

  var lang = storedLang();

  /** A text in the current language: {id, en} objects, page string keys, or plain strings. */
  function t(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "object") return value[lang] || value.id || "";
    if (Object.prototype.hasOwnProperty.call(strings, value)) return t(strings[value]);
    return String(value);
  }

  /** `t` with {name} placeholders filled in. */
  function fmt(key, params) {
    return t(key).replace(/\{(\w+)\}/g, function (_, name) {
      return params && params[name] !== undefined && params[name] !== null ? String(params[name]) : "";
    });
  }

  function addStrings(more) {
    Object.keys(more).forEach(function (k) {
      strings[k] = more[k];
    });
  }

  /** Fill every [data-i18n] element (and -placeholder, -label variants) from the page strings. */
  function applyStrings(root) {
    root = root || document;
    root.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    root.querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder")));
    });
    root.querySelectorAll("[data-i18n-label]").forEach(function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-label")));
    });
    root.querySelectorAll("[data-i18n-title]").forEach(function (node) {
      node.setAttribute("title", t(node.getAttribute("data-i18n-title")));
    });
    document.documentElement.lang = lang;
    document.querySelectorAll(".lang-switch [data-lang]").forEach(function (btn) {
      btn.setAttribute("aria-pressed", btn.getAttribute("data-lang") === lang ? "true" : "false");
    });
  }

  function setLang(next) {
    lang = next === "en" ? "en" : "id";
    try {
      window.localStorage.setItem(LANG_KEY, lang);
    } catch (e) {
      /* not remembered, still switched */
    }
    applyStrings();
    listeners.forEach(function (fn) {
      fn(lang);
    });
  }

  function onLangChange(fn) {
    listeners.push(fn);
  }

  /** Wire every `.lang-switch button[data-lang]` on the page. */
  function initLangSwitch() {
    document.querySelectorAll(".lang-switch [data-lang]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        setLang(btn.getAttribute("data-lang"));
      });
    });
    applyStrings();
  }

  /** Build an element: h("div", {class: "x", onclick: fn}, "text", child, [more]). */
  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key.slice(0, 2) === "on" && typeof value === "function") {
          node.addEventListener(key.slice(2), value);
        } else if (key === "class") {
          node.className = value;
        } else if (key === "dataset") {
          Object.keys(value).forEach(function (d) {
            node.dataset[d] = value[d];
          });
        } else if (value === true) {
          node.setAttribute(key, "");
        } else {
          node.setAttribute(key, String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) {
        append(node, c);
      });
    } else if (typeof child === "object" && child.nodeType) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // ---- talking to the API ------------------------------------------------

  /** An API refusal: the message to show, the HTTP status, the error code, and the JSON body if any. */
  function ApiError(message, status, code, data) {
    this.name = "ApiError";
    this.message = message;
    this.status = status;
    this.code = code;
    this.data = data || null;
  }
  ApiError.prototype = Object.create(Error.prototype);

  var NETWORK_MESSAGE = {
    id: "Tidak dapat terhubung ke server. Silakan coba lagi.",
    en: "Cannot reach the server. Please try again.",
  };

  var TOO_MANY_MESSAGE = {
    id: "Terlalu banyak permintaan. Silakan tunggu sebentar, lalu coba lagi.",
    en: "Too many requests. Please wait a moment and try again.",
  };

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : null;
  }

  /** Fetch a fresh CSRF token (the session changes at log-in and log-out). */
  function refreshCsrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (!meta) return Promise.resolve(null);
    return fetch("/api/csrf", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        return r.json();
      })
      .then(function (data) {
        meta.setAttribute("content", data.csrf_token);
        return data.csrf_token;
      });
  }

  function send(method, url, body) {
    var headers = { Accept: "application/json", "X-Loket-Lang": lang };
    var init = { method: method, headers: headers, credentials: "same-origin", cache: "no-store" };
    if (method !== "GET") {
      var token = csrfToken();
      if (token) headers["X-CSRFToken"] = token;
      if (typeof Blob !== "undefined" && body instanceof Blob) {
        headers["Content-Type"] = body.type || "application/octet-stream"; // e.g. a webcam JPEG
        init.body = body;
      } else {
        headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body || {});
      }
    }
    return fetch(url, init);
  }

  /** Call the JSON API; resolves with the data, rejects with ApiError (its .data holds the JSON body). */
  function api(method, url, body, retried) {
    return send(method, url, body)
      .catch(function () {
        throw new ApiError(t(NETWORK_MESSAGE), 0, "network");
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status === 429 && type.indexOf("application/json") === -1) {
          throw new ApiError(t(TOO_MANY_MESSAGE), 429, "rate_limited");
        }
        if (type.indexOf("application/json") === -1) {
          // Flask-WTF answers a stale CSRF token with HTML 400: renew it once and retry.
          if (response.status === 400 && method !== "GET" && !retried && csrfToken() !== null) {
            return refreshCsrf().then(function () {
              return api(method, url, body, true);
            });
          }
          throw new ApiError(
            t({ id: "Server menjawab dengan galat ", en: "The server answered with error " }) + response.status,
            response.status,
            "http"
          );
        }
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new ApiError(data.message || data.error || String(response.status), response.status, data.error, data);
          }
          return data;
        });
      });
  }

  // ---- time ------------------------------------------------------------
  // Clocks show the office's time zone (body[data-timezone], e.g. Asia/Jakarta),
  // whatever the kiosk's or TV's own clock is set to; the browser's zone otherwise.

  var timeZone = null;
  var zoneFormat = null;
  var WEEKDAYS = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

  function setTimeZone(tz) {
    timeZone = null;
    zoneFormat = null;
    if (!tz) return;
    try {
      zoneFormat = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        weekday: "short",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      timeZone = tz;
    } catch (e) {
      zoneFormat = null; // unknown zone: fall back to the browser's clock
    }
  }

  /** Calendar and clock fields of an instant, in the office's time zone. */
  function parts(d) {
    if (!zoneFormat) {
      return {
        year: d.getFullYear(),
        month: d.getMonth(),
        day: d.getDate(),
        weekday: d.getDay(),
        hour: d.getHours(),
        minute: d.getMinutes(),
        second: d.getSeconds(),
      };
    }
    var out = {};
    zoneFormat.formatToParts(d).forEach(function (p) {
      out[p.type] = p.value;
    });
    return {
      year: Number(out.year),
      month: Number(out.month) - 1,
      day: Number(out.day),
      weekday: WEEKDAYS[out.weekday],
      hour: Number(out.hour) % 24,
      minute: Number(out.minute),
      second: Number(out.second),
    };
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function toDate(value) {
    if (!value) return null;
    var d = value instanceof Date ? value : new Date(value);
    return isNaN(d.getTime()) ? null : d;
  }

  function hhmm(value) {
    var d = toDate(value);
    if (!d) return "";
    var p = parts(d);
    return pad(p.hour) + ":" + pad(p.minute);
  }

  function hhmmss(value) {
    var d = toDate(value);
    if (!d) return "";
    var p = parts(d);
    return pad(p.hour) + ":" + pad(p.minute) + ":" + pad(p.second);
  }

  var DAYS = {
    id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
  };
  var MONTHS = {
    id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
  };

  /** "Senin, 24 November 2026" without depending on the browser's locale data. */
  function longDate(value) {
    var p = parts(toDate(value) || new Date());
    var l = lang === "en" ? "en" : "id";
    return DAYS[l][p.weekday] + ", " + p.day + " " + MONTHS[l][p.month] + " " + p.year;
  }

  if (document.body && document.body.getAttribute("data-timezone")) {
    setTimeZone(document.body.getAttribute("data-timezone"));
  }

  /** Minutes between two instants, rounded down; "" when unknown. */
  function minutesBetween(from, to) {
    if (!from) return "";
    var a = new Date(from).getTime();
    var b = to ? new Date(to).getTime() : Date.now();
    if (isNaN(a) || isNaN(b)) return "";
    return Math.max(0, Math.floor((b - a) / 60000));
  }

  window.Loket = {
    get lang() {
      return lang;
    },
    t: t,
    fmt: fmt,
    addStrings: addStrings,
    applyStrings: applyStrings,
    setLang: setLang,
    onLangChange: onLangChange,
    initLangSwitch: initLangSwitch,
    h: h,
    clear: clear,
    api: api,
    refreshCsrf: refreshCsrf,
    ApiError: ApiError,
    hhmm: hhmm,
    hhmmss: hhmmss,
    longDate: longDate,
    setTimeZone: setTimeZone,
    minutesBetween: minutesBetween,
  };
})();

/* Staff log-in, shared by the staff pages. */
(function () {
  "use strict";

  var L = window.Loket;

  /** Log in; resolves with the session (as GET /api/me) once the CSRF token is renewed with the session. */
  L.login = function (username, password) {
    return L.api("POST", "/api/login", { username: String(username || "").trim(), password: String(password || "") }).then(
      function (me) {
        return L.refreshCsrf().then(function () {
          return me;
        });
      }
    );
  };
})();
