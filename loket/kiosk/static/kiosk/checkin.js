/* Check-in of an online booking: the scanner (a keyboard that types the QR's payload and Enter), the camera
 * (frames decoded on the server, POST /api/checkin/frame) or the booking code typed on a pad of its own letters.
 * Inside the booking's window the ticket shows at once; outside it, when and why, and the walk-in if allowed.
 * The code's letters and length come from the server (kiosk-config.checkin), never copied here. */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { $, kioskHeaders, kioskId } from "./state.js";
import { requestTicket, tapKey } from "./request.js";
import { onShow, show } from "./screens.js";
import { presentTicket, resetEarly, showError } from "./ticket.js";

var CONFIG = serverData("kiosk-config", {}).checkin || { enabled: false, alphabet: "", length: 8 };
var FRAME_MS = 500;
var FRAME_WIDTH = 1280; // frames are scaled down to this before they are sent (the server's bound is 2 MB)
var SCANNER_GAP_MS = 300; // a scanner types a whole payload in well under this between keys; a hand does not

var checkin = { code: "", busy: false, refusal: null, scanned: "", lastKey: 0 };
var cam = { stream: null, timer: null, canvas: null };

export function wireCheckin() {
  if (!CONFIG.enabled) return;
  $("open-checkin").hidden = false;
  $("open-checkin").addEventListener("click", openCheckin);
  $("checkin-back").addEventListener("click", function () {
    show("services");
  });
  $("checkin-submit").addEventListener("click", function () {
    if (checkin.code.length === CONFIG.length) submit(checkin.code);
  });
  $("checkin-again").addEventListener("click", openCheckin);
  $("checkin-walk-in").addEventListener("click", takeWalkIn);
  $("checkin-camera").addEventListener("click", function () {
    if (cam.stream || !$("checkin-camera-box").hidden) stopCamera();
    else startCamera();
  });
  buildPad();
  document.addEventListener("keydown", onKey);
  onShow(function (name) {
    if (name !== "checkin") stopCamera();
  });
}

function openCheckin() {
  checkin.code = "";
  checkin.refusal = null;
  checkin.scanned = "";
  show("checkin");
  renderCheckin();
}

function buildPad() {
  var pad = clear($("checkin-pad"));
  CONFIG.alphabet.split("").forEach(function (ch) {
    pad.appendChild(h("button", { type: "button", class: "k-key num", "data-key": ch, onclick: () => press(ch) }, ch));
  });
  pad.appendChild(
    h("button", { type: "button", class: "k-key k-key-fn", "data-key": "clear", "data-i18n": "pin_clear", onclick: () => press("clear") }, i18n.t("pin_clear"))
  );
  pad.appendChild(
    h("button", { type: "button", class: "k-key k-key-fn", "data-key": "back", "data-i18n-label": "pin_back", "aria-label": i18n.t("pin_back"), onclick: () => press("back") }, "⌫")
  );
}

function press(key) {
  if (checkin.busy) return;
  if (key === "clear") checkin.code = "";
  else if (key === "back") checkin.code = checkin.code.slice(0, -1);
  else if (checkin.code.length < CONFIG.length) checkin.code += key;
  renderCheckin();
}

/** A booking's QR: its status address (…/s/B1.<code>.<mac>, a site's …/s/B2.<site>.…), its bare compact code, or a
 *  plain LKB1:/LKB2: payload. */
function isBookingQr(text) {
  var at = text.lastIndexOf("/s/");
  var code = at >= 0 ? text.slice(at + 3) : text;
  return /^B[12]\./.test(code) || /^LKB[12]:/i.test(code);
}

/** The scanner types the payload and Enter; on the start screen a booking QR opens the check-in by itself. */
function onKey(e) {
  var where = document.body.getAttribute("data-screen");
  if ((where !== "checkin" && where !== "services") || !$("staff").hidden) return;
  var now = Date.now();
  if (now - checkin.lastKey > SCANNER_GAP_MS && where === "services") checkin.scanned = "";
  checkin.lastKey = now;
  if (e.key === "Enter") {
    var typed = checkin.scanned.trim();
    checkin.scanned = "";
    if (!typed) {
      if (where === "checkin" && checkin.code.length === CONFIG.length) submit(checkin.code);
      return;
    }
    if (where === "services") {
      if (!isBookingQr(typed)) return; // a ticket's QR or anything else: not for the check-in
      openCheckin();
    }
    e.preventDefault();
    submit(typed);
    return;
  }
  if (e.key === "Backspace" && where === "checkin" && !checkin.scanned) return press("back");
  if (e.key && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) checkin.scanned += e.key;
}

function submit(code) {
  if (checkin.busy) return;
  checkin.busy = true;
  stopCamera();
  renderCheckin();
  resetEarly();
  requestTicket({ code: code, kiosk: kioskId }, tapKey(), "/api/checkin")
    .then(function (ticket) {
      checkin.code = "";
      presentTicket(ticket);
    })
    .catch(function (err) {
      var data = err.data || {};
      if (data.window) {
        checkin.refusal = data;
        checkin.code = "";
      } else {
        showError(err.message, err.code); // unknown code, forged QR, closed service, no answer
      }
    })
    .then(function () {
      checkin.busy = false;
      renderCheckin();
    });
}

function takeWalkIn() {
  var refusal = checkin.refusal;
  if (checkin.busy || !refusal || !refusal.walk_in) return;
  checkin.busy = true;
  renderCheckin();
  resetEarly();
  // The booking's own route: today's booking is cancelled with this ticket, another day's stays (walk_in_note).
  requestTicket({ code: refusal.booking.code, walk_in: true, kiosk: kioskId }, tapKey(), "/api/checkin")
    .then(function (ticket) {
      if (ticket.booking && ticket.booking.status !== "checked_in") delete ticket.booking; // a regular ticket
      presentTicket(ticket);
    })
    .catch(function (err) {
      showError(err.message, err.code);
    })
    .then(function () {
      checkin.busy = false;
      renderCheckin();
    });
}

var TITLES = {
  checkin_early: "checkin_early_title",
  checkin_late: "checkin_late_title",
  booking_used: "checkin_used_title",
};

/** The screen as the state says, in the page's language (also after a language switch). */
export function renderCheckin() {
  if (!CONFIG.enabled) return;
  var refusal = checkin.refusal;
  $("checkin-entry").hidden = !!refusal;
  $("checkin-refusal").hidden = !refusal;
  var submitButton = $("checkin-submit");
  submitButton.hidden = !!refusal;
  submitButton.disabled = checkin.busy || checkin.code.length !== CONFIG.length;
  submitButton.textContent = i18n.t(checkin.busy ? "checkin_checking" : "checkin_submit");
  var shown = "";
  for (var i = 0; i < CONFIG.length; i++) shown += checkin.code[i] || "·";
  $("checkin-code").textContent = shown;
  $("checkin-code").setAttribute("data-code", checkin.code);
  var cameraOn = !$("checkin-camera-box").hidden;
  $("screen-checkin").setAttribute("data-camera", cameraOn ? "on" : "off"); // the picture takes the scanner's place
  $("checkin-camera").textContent = i18n.t(cameraOn ? "checkin_camera_stop" : "checkin_camera");
  if (!refusal) return;
  $("checkin-refusal").setAttribute("data-error", refusal.error);
  $("checkin-refusal-title").textContent = i18n.t(TITLES[refusal.error] || "checkin_inactive_title");
  $("checkin-refusal-text").textContent = i18n.t(refusal.label) || refusal.message;
  // Another day's booking: its date beside the times (the day's order as on the booking page: dd-mm-yyyy).
  var b = refusal.booking;
  var day = b.today ? "" : b.day.split("-").reverse().join("-") + ", ";
  $("checkin-refusal-slot").textContent = day + b.start + "–" + b.end;
  $("checkin-refusal-window").textContent = day + refusal.window.opens + "–" + refusal.window.closes;
  // What the regular ticket does to the booking, said before the tap (the server's sentence, both languages).
  var note = refusal.walk_in && refusal.walk_in_note ? i18n.t(refusal.walk_in_note) : "";
  $("checkin-walk-in-note").textContent = note;
  $("checkin-walk-in-note").hidden = !note;
  $("checkin-walk-in-text").hidden = !refusal.walk_in || !!note;
  $("checkin-walk-in").hidden = !refusal.walk_in;
  $("checkin-walk-in").disabled = checkin.busy;
  $("checkin-no-walk-in").hidden = refusal.walk_in;
}

// ---- the camera: frames go to the server, which finds the booking's QR -------------------

function cameraStatus(key) {
  $("checkin-camera-status").textContent = i18n.t(key);
}

async function startCamera() {
  $("checkin-camera-box").hidden = false;
  $("checkin-camera").setAttribute("aria-pressed", "true");
  renderCheckin();
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return cameraStatus("checkin_camera_failed");
  cameraStatus("checkin_camera_starting");
  var stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  } catch {
    return cameraStatus("checkin_camera_failed");
  }
  if ($("checkin-camera-box").hidden) {
    stream.getTracks().forEach((tr) => tr.stop()); // closed while the browser asked
    return;
  }
  cam.stream = stream;
  var video = $("checkin-video");
  video.srcObject = stream;
  video.play()?.catch(() => {});
  cameraStatus("checkin_camera_hint");
  cam.timer = setTimeout(grabFrame, FRAME_MS);
}

function stopCamera() {
  clearTimeout(cam.timer);
  cam.timer = null;
  if (cam.stream) cam.stream.getTracks().forEach((tr) => tr.stop());
  cam.stream = null;
  $("checkin-video").srcObject = null;
  $("checkin-camera-box").hidden = true;
  $("checkin-camera").setAttribute("aria-pressed", "false");
  renderCheckin();
}

function nextFrame() {
  if (cam.stream) cam.timer = setTimeout(grabFrame, FRAME_MS);
}

function grabFrame() {
  var video = $("checkin-video");
  if (!cam.stream) return;
  if (video.readyState < 2 || !video.videoWidth) return nextFrame();
  var scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
  var canvas = cam.canvas || (cam.canvas = document.createElement("canvas"));
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  canvas.toBlob(sendFrame, "image/jpeg", 0.8);
}

async function sendFrame(blob) {
  if (!blob || !cam.stream) return nextFrame();
  try {
    var headers = Object.assign({ Accept: "application/json", "Content-Type": "image/jpeg" }, kioskHeaders());
    var response = await fetch("/api/checkin/frame", { method: "POST", headers: headers, body: blob, cache: "no-store" });
    var data = response.ok ? await response.json() : null;
    if (cam.stream && data && data.found) return submit(data.code);
  } catch {
    /* a network hiccup: keep looking */
  }
  nextFrame();
}
