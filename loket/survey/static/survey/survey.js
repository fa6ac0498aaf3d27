/* Survei Kepuasan Masyarakat: a resident rates the service after hand-over, on the kiosk or a counter tablet.
 *
 * Which ticket: the QR scanned by a keyboard-wedge scanner (types the QR text + Enter), or the number typed on
 * the on-screen keypad. Then nine elements, one per screen; a touch answers and moves on. Anonymous, optional:
 * "Lewati" on every screen, and an idle screen returns to the start by itself.
 * API: GET /api/survey/questions, GET /api/survey/ticket/<code>, POST /api/survey.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";

var IDLE_SECONDS = 60; // an abandoned survey returns to the start (nothing is sent)
var THANKS_SECONDS = 8;
var OFFER_SECONDS = 180; // the tablet offers the ticket just handed over at its counter this long
var ENTRY_MAX = 300;

i18n.addStrings(i18n.pageStrings("survey/survey"));

var $ = function (id) {
  return document.getElementById(id);
};
var body = document.body;
var source = body.getAttribute("data-source") || "kiosk";
var counterName = body.getAttribute("data-counter") || "";
var returnUrl = body.getAttribute("data-return") || "";

var state = {
  elements: [],
  code: null, // what the resident gave: a number or the QR text
  number: null, // the ticket number the server recognised
  index: 0,
  answers: {},
  busy: false,
  offer: null,
};
var timers = { idle: null, thanks: null, offer: null };

/** The kiosk's default language (set in its staff panel), else Bahasa Indonesia. */
function defaultLang() {
  try {
    return window.localStorage.getItem("loket.kiosk.lang") === "en" ? "en" : "id";
  } catch {
    return "id";
  }
}

// ---- a screen nobody can leave by accident ---------------------------------------

function lockDown() {
  var prevent = function (e) {
    e.preventDefault();
  };
  ["contextmenu", "dragstart", "drop", "gesturestart", "gesturechange", "dblclick"].forEach(function (type) {
    document.addEventListener(type, prevent);
  });
  document.addEventListener("selectstart", function (e) {
    if (!e.target.closest || !e.target.closest("input, textarea")) e.preventDefault();
  });
  document.addEventListener(
    "touchmove",
    function (e) {
      if (e.touches && e.touches.length > 1) e.preventDefault();
    },
    { passive: false }
  );
  document.addEventListener(
    "wheel",
    function (e) {
      if (e.ctrlKey) e.preventDefault();
    },
    { passive: false }
  );
}

// ---- screens ----------------------------------------------------------------------

function screen() {
  return body.getAttribute("data-screen");
}

function show(name) {
  ["start", "rate", "finish", "thanks"].forEach(function (s) {
    $("screen-" + s).hidden = s !== name;
  });
  body.setAttribute("data-screen", name);
  window.scrollTo(0, 0);
  armIdle();
  if (name === "start") focusEntry();
}

function focusEntry() {
  try {
    $("code-input").focus({ preventScroll: true });
  } catch {
    $("code-input").focus();
  }
}

/** Back to the start for the next resident; from the kiosk, back to the kiosk itself. */
function resetToStart(leave) {
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

function armIdle() {
  clearTimeout(timers.idle);
  timers.idle = setTimeout(onIdle, IDLE_SECONDS * 1000);
}

function onIdle() {
  if (screen() === "thanks") return armIdle(); // it has its own countdown
  var dirty = screen() !== "start" || $("code-input").value || i18n.lang !== defaultLang() || !$("start-error").hidden;
  if (dirty || returnUrl) return resetToStart(true);
  armIdle();
}

function setBusy(button, busy, key) {
  button.disabled = busy;
  button.textContent = i18n.t(busy ? (key === "submit" ? "sending" : "checking") : key);
}

// ---- 1. the ticket ------------------------------------------------------------------

function looksLikeQr(text) {
  return /^LKT1:/i.test(text.trim());
}

function pressKey(key) {
  var input = $("code-input");
  var value = looksLikeQr(input.value) ? "" : input.value;
  if (key === "clear") value = "";
  else if (key === "back") value = value.slice(0, -1);
  else if (/^[A-Z]$/.test(key)) value = key + "-"; // a letter starts a new number
  else if (value.length < 8) value += key;
  input.value = value;
  $("start-error").hidden = true;
  focusEntry();
}

function showStartError(message) {
  $("start-error").textContent = message;
  $("start-error").hidden = false;
}

function refusalText(err) {
  if (err && err.data && err.data.label) {
    if (err.code === "invalid_code") return i18n.t("invalid_code");
    return i18n.t(err.data.label);
  }
  return err && err.message ? err.message : String(err);
}

function checkTicket(code) {
  code = (code || "").trim();
  if (state.busy) return;
  if (!code || code.replace(/[^0-9]/g, "") === "" && !looksLikeQr(code)) {
    showStartError(i18n.t("need_number"));
    return;
  }
  state.busy = true;
  setBusy($("start-next"), true, "next");
  $("start-error").hidden = true;
  api("GET", "/api/survey/ticket/" + encodeURIComponent(code))
    .then(function (data) {
      state.code = code;
      state.number = data.number;
      state.index = 0;
      state.answers = {};
      $("code-input").value = "";
      if (state.offer && state.offer.number === data.number) clearOffer();
      renderRate();
      show("rate");
    })
    .catch(function (err) {
      if (looksLikeQr($("code-input").value)) $("code-input").value = "";
      showStartError(refusalText(err));
      focusEntry();
    })
    .then(function () {
      state.busy = false;
      setBusy($("start-next"), false, "next");
    });
}

function renderPrefixes(services) {
  var letters = [];
  (services || []).forEach(function (svc) {
    if (svc.prefix && letters.indexOf(svc.prefix) === -1) letters.push(svc.prefix);
  });
  letters.sort();
  var root = clear($("prefix-keys"));
  letters.forEach(function (letter) {
    root.appendChild(h("button", { type: "button", class: "sv-key sv-key-letter", "data-key": letter }, letter));
  });
  root.hidden = !letters.length;
}

// ---- 2. nine elements -----------------------------------------------------------------

function renderRate() {
  var el = state.elements[state.index];
  if (!el) return;
  var total = state.elements.length;
  $("rate-ticket").textContent = state.number || "";
  $("progress-text").textContent = i18n.fmt("progress", { n: state.index + 1, m: total });
  var dots = clear($("progress-dots"));
  state.elements.forEach(function (e, i) {
    dots.appendChild(
      h("li", { class: "sv-dot" + (i === state.index ? " sv-dot-now" : state.answers[e.key] ? " sv-dot-done" : "") })
    );
  });
  $("element-name").textContent = state.index + 1 + ". " + i18n.t(el.label);
  $("question-text").textContent = i18n.t(el.question);
  var root = clear($("answers"));
  // Best first: the eye lands on the top answer; the value (1-4) is fixed by the regulation.
  for (var value = 4; value >= 1; value--) {
    root.appendChild(
      h(
        "button",
        {
          type: "button",
          class: "sv-answer sv-answer-" + value,
          "data-value": value,
          "aria-pressed": state.answers[el.key] === value ? "true" : "false",
          onclick: answer.bind(null, value),
        },
        h("span", { class: "sv-answer-value num", "aria-hidden": "true" }, String(value)),
        h("span", { class: "sv-answer-text" }, i18n.t(el.answers[value - 1]))
      )
    );
  }
  $("rate-back").disabled = false;
}

function answer(value) {
  var el = state.elements[state.index];
  state.answers[el.key] = value;
  if (state.index + 1 < state.elements.length) {
    state.index += 1;
    renderRate();
    armIdle();
  } else {
    renderSummary();
    show("finish");
  }
}

function previous() {
  if (state.index === 0) {
    resetToStart(false);
    return;
  }
  state.index -= 1;
  renderRate();
}

// ---- 3. comment and send --------------------------------------------------------------

function renderSummary() {
  var root = clear($("summary"));
  state.elements.forEach(function (el, i) {
    var value = state.answers[el.key];
    root.appendChild(
      h(
        "li",
        { class: "sv-summary-item", "data-element": el.key, "data-value": value },
        h(
          "button",
          {
            type: "button",
            class: "sv-summary-btn",
            onclick: function () {
              state.index = i;
              renderRate();
              show("rate");
            },
          },
          h("span", { class: "sv-summary-name" }, i18n.t(el.label)),
          h("span", { class: "sv-summary-value sv-answer-" + value }, value + " · " + i18n.t(el.answers[value - 1]))
        )
      )
    );
  });
}

function submit() {
  if (state.busy) return;
  state.busy = true;
  setBusy($("submit"), true, "submit");
  $("finish-error").hidden = true;
  api("POST", "/api/survey", {
    code: state.code,
    answers: state.answers,
    comment: $("comment").value.trim() || null,
    source: source,
  })
    .then(function () {
      state.code = null;
      state.answers = {};
      $("comment").value = "";
      show("thanks");
      startThanks();
    })
    .catch(function (err) {
      $("finish-error").textContent = refusalText(err);
      $("finish-error").hidden = false;
    })
    .then(function () {
      state.busy = false;
      setBusy($("submit"), false, "submit");
    });
}

function startThanks() {
  var left = THANKS_SECONDS;
  $("thanks-countdown").textContent = String(left);
  clearInterval(timers.thanks);
  timers.thanks = setInterval(function () {
    left -= 1;
    $("thanks-countdown").textContent = String(Math.max(0, left));
    if (left <= 0) resetToStart(true);
  }, 1000);
}

// ---- the counter tablet: offer the ticket just handed over here ------------------------

function renderOffer() {
  var offer = state.offer;
  $("offer").hidden = !offer || screen() !== "start";
  if (offer) $("offer-number").textContent = offer.number;
}

function clearOffer() {
  clearTimeout(timers.offer);
  state.offer = null;
  renderOffer();
}

function connectLive() {
  if (!counterName || typeof window.io !== "function") return;
  // The display channel is public: numbers, counters and states only.
  var socket = window.io({ auth: { channel: "display" }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    body.setAttribute("data-connection", "online");
  });
  socket.on("disconnect", function () {
    body.setAttribute("data-connection", "offline");
  });
  socket.on("ticket.done", function (payload) {
    if (!payload || !payload.counter || payload.counter.toLowerCase() !== counterName.toLowerCase()) return;
    state.offer = { number: payload.number };
    clearTimeout(timers.offer);
    timers.offer = setTimeout(clearOffer, OFFER_SECONDS * 1000);
    renderOffer();
  });
}

// ---- start ------------------------------------------------------------------------------

function wire() {
  $("keypad").addEventListener("click", function (e) {
    var key = e.target.closest("[data-key]");
    if (key) pressKey(key.getAttribute("data-key"));
  });
  var input = $("code-input");
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      checkTicket(input.value);
    }
  });
  input.addEventListener("input", function () {
    if (input.value.length > ENTRY_MAX) input.value = input.value.slice(0, ENTRY_MAX);
    $("start-error").hidden = true;
    armIdle();
  });
  // A scanner types into whatever has focus: on the start screen, send stray typing to the entry.
  document.addEventListener("keydown", function (e) {
    if (screen() !== "start" || e.target === input || e.target.tagName === "TEXTAREA") return;
    if (e.key && e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) focusEntry();
  });
  $("start-next").addEventListener("click", function () {
    checkTicket(input.value);
  });
  $("offer-rate").addEventListener("click", function () {
    if (state.offer) checkTicket(state.offer.number);
  });
  $("start-skip").addEventListener("click", function () {
    resetToStart(true);
  });
  $("rate-back").addEventListener("click", previous);
  ["rate-skip", "finish-skip"].forEach(function (id) {
    $(id).addEventListener("click", function () {
      resetToStart(true);
    });
  });
  $("finish-back").addEventListener("click", function () {
    state.index = state.elements.length - 1;
    renderRate();
    show("rate");
  });
  $("submit").addEventListener("click", submit);
  $("thanks-done").addEventListener("click", function () {
    resetToStart(true);
  });
  $("comment").addEventListener("input", armIdle);
  document.addEventListener("pointerdown", armIdle, true);
  i18n.onLangChange(function () {
    if (screen() === "rate") renderRate();
    if (screen() === "finish") renderSummary();
    setBusy($("start-next"), state.busy && screen() === "start", "next");
  });
}

lockDown();
wire();
i18n.initLangSwitch();
show("start");
api("GET", "/api/survey/questions")
  .then(function (data) {
    state.elements = data.elements;
    body.setAttribute("data-ready", "true");
  })
  .catch(function (err) {
    showStartError(err.message);
  });
api("GET", "/api/services")
  .then(function (data) {
    renderPrefixes(data.services);
  })
  .catch(function () {
    renderPrefixes([]);
  });
connectLive();
