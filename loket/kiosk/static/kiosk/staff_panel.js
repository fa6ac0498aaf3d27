/* The staff panel behind the PIN: this kiosk's id and printer, a test print, the kiosk's default language. */
import * as i18n from "loket/i18n.js";
import { $, DEFAULT_LANG_KEY, defaultLang, kioskId, storage } from "./state.js";
import { armStaffGesture, armStaffIdle, closeStaff, pressKey, staff, submitPin } from "./staff_pin.js";

/** POST that keeps the JSON body of a refusal (a failed test print answers 502 with details). */
export function post(url, body) {
  return fetch(url, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-Loket-Lang": i18n.lang },
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
  renderDefaultLang();
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
