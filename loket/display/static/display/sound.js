/* Sound on or off: browsers keep a page silent until a first tap. "Aktifkan suara" asks once, the choice is
 * kept in localStorage; if a later load is still blocked, a warning stays until someone taps the screen.
 */
import * as i18n from "loket/i18n.js";
import { $, state } from "./state.js";
import { params } from "./hall.js";
import { refit } from "./render.js";
import { announcing } from "./voice.js";

var SOUND_KEY = "loket.display.sound";
// A WAV of 0.05 s silence: played inside the first tap, it unlocks audio for the page.
var SILENCE = silentWav(0.05);

export var player = $("voice-player");

export var soundState = "ask"; // "ask": never switched on here; "on"; "blocked": on, but the browser refuses
var audioCtx = null;

function silentWav(seconds) {
  var rate = 8000;
  var samples = Math.round(rate * seconds);
  var bytes = new Uint8Array(44 + samples);
  var dv = new DataView(bytes.buffer);
  function text(at, s) {
    for (var i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i);
  }
  text(0, "RIFF");
  dv.setUint32(4, 36 + samples, true);
  text(8, "WAVEfmt ");
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true); // PCM
  dv.setUint16(22, 1, true); // mono
  dv.setUint32(24, rate, true);
  dv.setUint32(28, rate, true);
  dv.setUint16(32, 1, true);
  dv.setUint16(34, 8, true); // 8-bit: 128 is silence
  text(36, "data");
  dv.setUint32(40, samples, true);
  for (var j = 0; j < samples; j++) bytes[44 + j] = 128;
  var bin = "";
  for (var k = 0; k < bytes.length; k++) bin += String.fromCharCode(bytes[k]);
  return "data:audio/wav;base64," + window.btoa(bin);
}

export function storedOn() {
  if (params.get("sound") === "on") return true;
  try {
    return window.localStorage.getItem(SOUND_KEY) === "on";
  } catch {
    return false;
  }
}

export function setSound(next) {
  soundState = next;
  document.body.setAttribute("data-sound", next);
  $("sound-ask").hidden = next !== "ask";
  $("sound-warning").hidden = next !== "blocked";
  var key = next === "on" ? "sound_on" : next === "blocked" ? "sound_off" : "sound_ask";
  $("sound-text").setAttribute("data-i18n", key);
  $("sound-text").textContent = i18n.t(key);
  refit(); // the sound bar changes the room left for the lists
}

export function isBlocked(err) {
  return !!err && err.name === "NotAllowedError";
}

var probeSeq = 0; // only the latest probe may change the sound state

/** Play the silent clip on the voice player (when idle): a rejection means the browser blocks audio. */
function probe() {
  if (announcing) return Promise.resolve(true);
  player.src = SILENCE;
  var p;
  try {
    p = player.play();
  } catch (e) {
    return Promise.resolve(!isBlocked(e));
  }
  if (!p || typeof p.then !== "function") return Promise.resolve(true);
  return p.then(
    function () {
      return true;
    },
    function (err) {
      return !isBlocked(err); // a clip the browser cannot decode still says nothing about autoplay
    }
  );
}

export function context() {
  var Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return null;
  if (!audioCtx) {
    try {
      audioCtx = new Ctx();
    } catch {
      return null;
    }
  }
  if (audioCtx.state === "suspended" && audioCtx.resume) audioCtx.resume().catch(function () {});
  return audioCtx;
}

/** A tap, a click or a key: switch sound on and remember it (inside the gesture, so the browser allows it). */
export function enableSound() {
  try {
    window.localStorage.setItem(SOUND_KEY, "on");
  } catch {
    /* not remembered: it will ask again next time */
  }
  if (engine() === "browser") context();
  setSound("on");
  checkSound();
}

/** Does the browser let the page play? Only the latest check may change the sound state. */
export function checkSound() {
  var seq = ++probeSeq;
  probe().then(function (ok) {
    if (!ok && seq === probeSeq) setSound("blocked");
  });
}

export function onInteraction() {
  if (soundState !== "on") enableSound();
}

export function engine() {
  return (state.voice && state.voice.engine) || "server";
}
