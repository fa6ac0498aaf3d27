/* The staff panel behind the PIN: this kiosk's id and printer, a test print, the kiosk's default language. */
import * as i18n from "loket/i18n.js";
import { $, DEFAULT_LANG_KEY, TOKEN_KEY, defaultLang, kioskHeaders, kioskId, storage } from "./state.js";
import { armStaffGesture, armStaffIdle, closeStaff, pressKey, staff, submitPin } from "./staff_pin.js";

/** POST that keeps the JSON body of a refusal (a failed test print answers 502 with details). */
export function post(url, body) {
  return fetch(url, {
    method: "POST",
    headers: Object.assign({ Accept: "application/json", "Content-Type": "application/json", "X-Loket-Lang": i18n.lang }, kioskHeaders()),
    credentials: "same-origin",
    cache: "no-store",
    body: JSON.stringify(body),
  }).then(
    function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return { status: response.status, ok: response.ok, data: data };
        });
    },
    function () {
      return { status: 0, ok: false, data: { message: i18n.t("no_server") } };
    }
  );
}

export function showPanel(info) {
  $("staff-pin").hidden = true;
  $("staff-panel").hidden = false;
  $("panel-kiosk").textContent = kioskId || i18n.t("none");
  $("panel-printer").textContent = info.printer || "";
  var known = info.kiosks || [];
  var note = !kioskId ? i18n.t("panel_no_id") : known.indexOf(kioskId) === -1 ? i18n.t("panel_unknown_id") : "";
  $("panel-kiosk-note").textContent = note;
  $("panel-kiosk-note").hidden = !note;
  $("panel-test-result").hidden = true;
  renderPairing(info.paired || null);
  renderDefaultLang();
}

var PAIR_MAX = 24;
var pairing = { code: "" };

/** Whether this kiosk is paired (the server checked the code it keeps), and the pad to type a new code. */
function renderPairing(paired) {
  var status = $("panel-pairing");
  status.setAttribute("data-paired", paired || "");
  status.textContent = paired ? i18n.t("paired_ok") + " (" + paired + ")" : i18n.t("not_paired");
  status.className = "k-notice " + (paired ? "k-notice-ok" : "k-notice-bad");
  pairing.code = "";
  renderPairCode();
  $("pair-result").hidden = true;
}

function renderPairCode() {
  var groups = pairing.code.match(/.{1,4}/g) || [];
  $("pair-display").textContent = groups.join(" ") || "–";
}

function pairKey(key) {
  if (key === "clear") pairing.code = "";
  else if (key === "back") pairing.code = pairing.code.slice(0, -1);
  else if (pairing.code.length < PAIR_MAX) pairing.code += key;
  renderPairCode();
}

function savePairing() {
  if (staff.busy || !staff.unlockedPin || !pairing.code) return;
  staff.busy = true;
  var code = pairing.code;
  post("/api/kiosk/pair", { pin: staff.unlockedPin, kiosk: kioskId, code: code }).then(function (res) {
    staff.busy = false;
    var result = $("pair-result");
    if (res.ok) {
      storage(TOKEN_KEY, code);
      renderPairing(res.data.kiosk);
      result.textContent = i18n.t("pair_saved");
    } else {
      pairing.code = "";
      renderPairCode();
      result.textContent = res.data.error === "pair_unknown" ? i18n.t("pair_wrong") : res.data.message || String(res.status);
    }
    result.className = "k-notice " + (res.ok ? "k-notice-ok" : "k-notice-bad");
    result.setAttribute("data-ok", res.ok ? "true" : "false");
    result.hidden = false;
  });
}

function testPrint() {
  if (staff.busy || !staff.unlockedPin) return;
  staff.busy = true;
  var button = $("panel-test-print");
  var result = $("panel-test-result");
  button.disabled = true;
  button.textContent = i18n.t("test_printing");
  result.hidden = true;
  post("/api/kiosk/test-print", { pin: staff.unlockedPin, kiosk: kioskId }).then(function (res) {
    staff.busy = false;
    button.disabled = false;
    button.textContent = i18n.t("test_print");
    var printed = res.data && res.data.print;
    var ok = res.ok && printed && printed.ok;
    var why = printed ? printed.message || printed.reason : res.data.message || res.data.error || String(res.status);
    result.className = "k-notice " + (ok ? "k-notice-ok" : "k-notice-bad");
    result.setAttribute("data-ok", ok ? "true" : "false");
    result.textContent = ok ? i18n.t("test_ok") : i18n.fmt("test_failed", { m: why || "" });
    result.hidden = false;
  });
}

function renderDefaultLang() {
  var current = defaultLang();
  document.querySelectorAll("#panel-lang [data-default-lang]").forEach(function (btn) {
    btn.setAttribute("aria-pressed", btn.getAttribute("data-default-lang") === current ? "true" : "false");
  });
}

export function wireStaff() {
  armStaffGesture();
  $("pin-pad").addEventListener("click", function (e) {
    var key = e.target.closest("[data-key]");
    if (key) pressKey(key.getAttribute("data-key"));
  });
  $("pin-submit").addEventListener("click", submitPin);
  $("pin-cancel").addEventListener("click", closeStaff);
  $("panel-close").addEventListener("click", closeStaff);
  $("panel-test-print").addEventListener("click", testPrint);
  $("pair-pad").addEventListener("click", function (e) {
    var key = e.target.closest("[data-key]");
    if (key) pairKey(key.getAttribute("data-key"));
  });
  $("pair-save").addEventListener("click", savePairing);
  $("panel-reload").addEventListener("click", function () {
    window.location.reload();
  });
  document.querySelectorAll("#panel-lang [data-default-lang]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var lang = btn.getAttribute("data-default-lang");
      storage(DEFAULT_LANG_KEY, lang);
      i18n.setLang(lang);
      renderDefaultLang();
    });
  });
  $("staff").addEventListener("pointerdown", armStaffIdle);
}
