/* The waiting-room board: the call, each counter's number, the last calls, how many
 * wait per service group, documents ready for pickup, a running text, the office's
 * own images and videos, and the spoken call (chime + Indonesian voice).
 *
 * Shows ticket numbers and counters only (UU 27/2022): never a name, never a NIK.
 *
 * URL parameters (combine them freely):
 *   ?zone=<zone>                  only the counters of that zone, and only calls made there
 *                                 (a floor or a wing; the zone is set per counter by the admin)
 *   ?counters=Loket%201,Loket%202 only these counters and their calls (names or counter numbers,
 *                                 comma-separated, case-insensitive: ?counters=1,2 works too)
 *   ?view=pickup                  a pickup-counter board: the ready numbers large, plus the calls
 *   ?sound=on                     treat sound as switched on without the one-time tap (for a TV
 *                                 whose browser is started with --autoplay-policy=no-user-gesture-required
 *                                 and a profile that forgets localStorage)
 *   ?slide=<seconds>              how long each image of the media area stays (default 10)
 *   ?lang=en                      English labels (remembered), from the shared helpers
 *   e.g. /display/?zone=lantai-2  or  /display/?view=pickup&counters=Loket%203
 *
 * Sound: every call is announced once it is shown, one after another, never over each
 * other; a recall (payload recall=true, sentence "Panggilan ulang. …") is announced again.
 * voice_engine "server": the call's `audio` URL (chime + espeak-ng voice, works offline);
 * "browser": a Web Audio chime, then speechSynthesis in id-ID (the server audio when the
 * browser has no Indonesian voice). Browsers keep a page silent until a first tap: the
 * "Aktifkan suara" bar asks once; the choice is kept in localStorage ("loket.display.sound"
 * = "on"); if a later load is still blocked, a warning stays until someone taps the screen.
 *
 * For tests and the curious: window.LoketDisplay = {queueLength(), played: [sentences heard], board: {v, seq,
 * states (full states received), heals (gaps noticed)},
 * log: [{sentence, number, counter, recall, engine, start, end, outcome}], sound(), state}.
 * start/end are performance.now() milliseconds; outcome is "ended", "error", "timeout" (the queue
 * moves on in every case) or "blocked" (the browser refused: not in `played`, the warning shows).
 * Both lists keep the last 500 calls, so a board left on for weeks does not grow.
 *
 * The entry module: it wires the page; each behaviour lives in its own module beside it (hall: which part of
 * the hall; socket: the server's state and calls; calls, counters, waiting, ready, office: the panels; flash:
 * a new call on screen; sound, voice and speech: the spoken call; media; clock). Every module's strings are the
 * catalogs' scope "display/display", added here before anything renders.
 */
import * as i18n from "loket/i18n.js";
import { $, state } from "./state.js";
import { view } from "./hall.js";
import { refit, renderAll } from "./render.js";
import { board, connect, setConnection } from "./socket.js";
import { queueLength } from "./flash.js";
import { checkSound, onInteraction, setSound, soundState, storedOn } from "./sound.js";
import { log, played } from "./voice.js";
import { setMedia } from "./media.js";
import { showDate, tick } from "./clock.js";

i18n.addStrings(i18n.pageStrings("display/display"));

window.LoketDisplay = {
  /** Calls not yet announced: waiting ones, plus the one on screen while it is being said. */
  queueLength: queueLength,
  played: played,
  log: log,
  sound: function () {
    return soundState;
  },
  state: state,
  view: view,
  board: board,
};

document.body.setAttribute("data-view", view);

i18n.onLangChange(function () {
  showDate();
  setConnection(document.body.getAttribute("data-connection"));
  setSound(soundState);
  renderAll();
});
i18n.initLangSwitch();

// Sound: ask once; later loads try at once and warn if the browser still refuses.
$("sound-enable").addEventListener("click", onInteraction);
["pointerdown", "keydown", "touchstart"].forEach(function (type) {
  document.addEventListener(type, onInteraction, true);
});
if (window.speechSynthesis && typeof window.speechSynthesis.getVoices === "function") {
  window.speechSynthesis.getVoices(); // starts loading the voice list
}
if (storedOn()) {
  setSound("on");
  checkSound();
} else {
  setSound("ask");
}

window.addEventListener("resize", refit);
renderAll();
if (view === "board") setMedia([]);
var socket = connect();
tick(socket);
setInterval(function () {
  tick(socket);
}, 1000);
