/* Staff: press and hold the office name, then a PIN pad; the panel closes itself when left alone. */
import * as i18n from "loket/i18n.js";
import { $, kioskId, timers } from "./state.js";
import { post, showPanel } from "./staff_panel.js";

var STAFF_IDLE_SECONDS = 60; // the staff panel closes itself
var HOLD_MS = 3000; // press and hold the office name this long to open the staff panel
var PIN_MAX = 12;

export var staff = { pin: "", unlockedPin: null, busy: false };

export function armStaffGesture() {
  var target = $("staff-gesture");
  var cancel = function () {
    clearTimeout(timers.hold);
    timers.hold = null;
  };
  target.addEventListener("pointerdown", function () {
    cancel();
    timers.hold = setTimeout(openStaff, HOLD_MS);
  });
  ["pointerup", "pointerleave", "pointercancel"].forEach(function (type) {
    target.addEventListener(type, cancel);
  });
}

function openStaff() {
  timers.hold = null;
  staff.pin = "";
  staff.unlockedPin = null;
  $("staff-pin").hidden = false;
  $("staff-panel").hidden = true;
  $("pin-error").hidden = true;
  renderPin();
  $("staff").hidden = false;
  armStaffIdle();
}

export function closeStaff() {
  clearTimeout(timers.staffIdle);
  staff.pin = "";
  staff.unlockedPin = null;
  $("staff").hidden = true;
  $("panel-test-result").hidden = true;
  renderPin();
}

export function armStaffIdle() {
  clearTimeout(timers.staffIdle);
  timers.staffIdle = setTimeout(closeStaff, STAFF_IDLE_SECONDS * 1000);
}

export function renderPin() {
  var dots = "";
  for (var i = 0; i < staff.pin.length; i++) dots += "●";
  $("pin-display").textContent = dots || "–";
  $("pin-display").setAttribute("data-length", String(staff.pin.length));
}

export function pressKey(key) {
  if (staff.busy) return;
  if (key === "clear") staff.pin = "";
  else if (key === "back") staff.pin = staff.pin.slice(0, -1);
  else if (staff.pin.length < PIN_MAX) staff.pin += key;
  renderPin();
}

export function submitPin() {
  if (staff.busy || !staff.pin) return;
  staff.busy = true;
  var pin = staff.pin;
  var button = $("pin-submit");
  button.disabled = true;
  button.textContent = i18n.t("pin_checking");
  post("/api/kiosk/unlock", { pin: pin, kiosk: kioskId }).then(function (res) {
    staff.busy = false;
    button.disabled = false;
    button.textContent = i18n.t("pin_open");
    staff.pin = "";
    renderPin();
    var error = $("pin-error");
    error.setAttribute("data-tries", String(Number(error.getAttribute("data-tries") || 0) + 1));
    if (!res.ok) {
      error.textContent = res.data.message || res.data.error || String(res.status);
      error.hidden = false;
      return;
    }
    error.hidden = true;
    staff.unlockedPin = pin;
    showPanel(res.data);
  });
}
