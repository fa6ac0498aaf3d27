/* The opt-in number pad (issue 14): after "Ambil Nomor Antrean", when the office sends messages, the resident may
 * leave a mobile number for WhatsApp/SMS news of their berkas, or skip with one big tap. The server checks the
 * number (08…, +628…, 628…); an impossible one comes back with plain words and no ticket is printed. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { $, state } from "./state.js";

var MAX_DIGITS = 15;
var digits = "";
var resolveChoice = null;
var rejectChoice = null;

/** Does the office want the pad offered (a channel is set and the kiosk moment is on)? */
export function padOffered() {
  return !!(state.office && state.office.contact_pad);
}

/** Ask for a number: resolves with the digits typed ("" when skipped). */
export function askNumber() {
  digits = "";
  showError(null);
  render();
  $("contact-pad").hidden = false;
  $("contact-skip").focus();
  return waitChoice();
}

function waitChoice() {
  return new Promise(function (resolve, reject) {
    resolveChoice = resolve;
    rejectChoice = reject;
  });
}

/** Back to the pad after the server refused the number: the digits stay, the reason is shown. */
export function refuse(message) {
  showError(message);
  $("contact-pad").hidden = false;
  return waitChoice();
}

export function closePad() {
  $("contact-pad").hidden = true;
  resolveChoice = null;
  rejectChoice = null;
}

/** The kiosk goes back to the start (left alone, "Kembali"): no ticket for the abandoned tap, no error shown. */
export function cancelPad() {
  var cancel = rejectChoice;
  closePad();
  if (cancel) cancel(null);
}

function choose(value) {
  var done = resolveChoice;
  closePad();
  if (done) done(value);
}

function showError(message) {
  $("contact-error").hidden = !message;
  $("contact-error").textContent = message || "";
}

function press(key) {
  showError(null);
  if (key === "del") digits = digits.slice(0, -1);
  else if (key === "+") digits = digits ? digits : "+";
  else if (digits.length < MAX_DIGITS) digits += key;
  render();
}

/** "0812 3456 7890": groups of four, as people read their number aloud. */
function grouped(value) {
  return value.replace(/(\+?\d{4})(?=\d)/g, "$1 ").replace(/(\d{4})(?=\d)/g, "$1 ");
}

export function render() {
  var number = $("contact-number");
  number.textContent = digits ? grouped(digits) : i18n.t("contact_placeholder");
  number.setAttribute("data-empty", digits ? "false" : "true");
  $("contact-send").disabled = digits.replace("+", "").length < 4;
  var keys = clear($("contact-keys"));
  ["1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "0", "del"].forEach(function (k) {
    var label = k === "del" ? i18n.t("contact_delete") : k;
    keys.appendChild(
      h("button", { type: "button", class: "k-key num" + (k === "del" ? " k-key-fn" : ""), "data-key": k, onclick: () => press(k) }, label)
    );
  });
}

export function wireContact() {
  $("contact-skip").addEventListener("click", function () {
    choose("");
  });
  $("contact-send").addEventListener("click", function () {
    choose(digits);
  });
}
