/* 1. The ticket: the QR from a keyboard-wedge scanner, or the number typed on the keypad; checked by the server. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { $, state } from "./state.js";
import { armIdle, focusEntry, screen, setBusy, show } from "./screens.js";
import { renderRate } from "./questions.js";
import { clearOffer } from "./offer.js";

var ENTRY_MAX = 300;

function looksLikeQr(text) {
  // a ticket's QR: its status page's address (issue 13), a bare compact code, or a plain code (a site's: LKT2:, T2.)
  return /^(LKT[12]:|T[12]\.|https?:\/\/)/i.test(text.trim());
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

export function showStartError(message) {
  $("start-error").textContent = message;
  $("start-error").hidden = false;
}

export function refusalText(err) {
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

export function renderPrefixes(services) {
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

/** The keypad, the entry field and a scanner's typing on the start screen; the offered ticket. */
export function wireEntry() {
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
}
