/* For residents who see poorly or are unsure (issue 15). Zoom stays locked on a public screen, so:
 * - "Huruf besar": large, high-contrast text for this resident (body.k-large), until the start is reset;
 * - "Bacakan untuk saya": the chosen service read aloud by the board's offline voice (/api/kiosk/voice/<code>.wav),
 *   and at once when the large mode is on;
 * - "Bantuan": alerts the front desk (a staff alert on the counter pages, with this kiosk's name). */
import { $, kioskHeaders, kioskId, state } from "./state.js";

var player = null;

export function largeText() {
  return document.body.classList.contains("k-large");
}

export function setLargeText(on) {
  document.body.classList.toggle("k-large", !!on);
  $("large-text").setAttribute("aria-pressed", on ? "true" : "false");
}

/** Stop any reading; the next resident starts in the normal mode. */
export function resetAccess() {
  stopReading();
  setLargeText(false);
  $("help-sent").hidden = true;
}

export function stopReading() {
  if (player) {
    player.pause();
    player = null;
  }
  $("read-aloud").setAttribute("aria-pressed", "false");
}

/** Read the chosen service aloud (name, what it is for, what to bring), in the board's offline voice. */
export function readAloud() {
  var svc = state.current;
  stopReading();
  if (!svc) return;
  var audio = new Audio("/api/kiosk/voice/" + encodeURIComponent(svc.code) + ".wav");
  player = audio;
  $("read-aloud").setAttribute("aria-pressed", "true");
  $("read-aloud").setAttribute("data-reading", svc.code);
  audio.addEventListener("ended", function () {
    if (player === audio) stopReading();
  });
  var played = audio.play();
  if (played && played.catch) {
    played.catch(function () {
      if (player === audio) stopReading(); // no speaker, or the engine failed: the screen still says it all
    });
  }
}

/** A detail screen opened: in the large mode it is read at once. */
export function serviceShown() {
  if (largeText()) readAloud();
}

function askForHelp() {
  var button = $("help");
  button.disabled = true;
  // A paired kiosk's token names it (the desk reads which kiosk); the request body names an unpaired one.
  var headers = Object.assign({ Accept: "application/json", "Content-Type": "application/json" }, kioskHeaders());
  fetch("/api/kiosk/help", { method: "POST", headers: headers, cache: "no-store", body: JSON.stringify({ kiosk: kioskId }) })
    .catch(function () {
      /* no answer: offline.js sends the resident to the desk itself */
    })
    .then(function () {
      button.disabled = false;
    });
  $("help-sent").hidden = false; // the desk is told (or was told a moment ago): the resident waits here
  $("help-sent-close").focus();
}

export function wireAccess() {
  $("large-text").addEventListener("click", function () {
    setLargeText(!largeText());
  });
  $("read-aloud").addEventListener("click", function () {
    if (player) stopReading();
    else readAloud();
  });
  $("help").addEventListener("click", askForHelp);
  $("help-sent-close").addEventListener("click", function () {
    $("help-sent").hidden = true;
  });
}
