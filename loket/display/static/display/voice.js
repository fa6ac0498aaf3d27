/* Saying a call, one at a time: the server's audio clip (chime + espeak-ng voice), or the browser's own voice
 * (speech.js) when the office chose it and the browser has an Indonesian voice; every clip has a guard, so
 * the queue never hangs; the last 500 calls heard are kept for the curious (window.LoketDisplay).
 */
import { engine, isBlocked, player, setSound, soundState } from "./sound.js";
import { indonesianVoice, speak } from "./speech.js";

var CLIP_GUARD_MS = 20000; // a clip that never starts or ends does not stop the queue

export var played = [];
export var log = [];
var KEEP = 500;

export var announcing = false;

/** Play one clip on the voice player; resolves with "ended", "error", "timeout" or "blocked". */
function playClip(url) {
  return new Promise(function (resolve) {
    var finished = false;
    var guard = setTimeout(function () {
      finish("timeout");
    }, CLIP_GUARD_MS);
    function finish(outcome) {
      if (finished) return;
      finished = true;
      clearTimeout(guard);
      player.onended = player.onerror = player.onloadedmetadata = null;
      if (outcome !== "ended") player.pause();
      resolve(outcome);
    }
    player.onended = function () {
      finish("ended");
    };
    player.onerror = function () {
      finish("error");
    };
    player.onloadedmetadata = function () {
      if (isFinite(player.duration) && player.duration > 0) {
        clearTimeout(guard);
        guard = setTimeout(function () {
          finish("timeout");
        }, player.duration * 1000 + 4000);
      }
    };
    player.src = url;
    var p;
    try {
      p = player.play();
    } catch (e) {
      finish(isBlocked(e) ? "blocked" : "error");
      return;
    }
    if (p && typeof p.catch === "function") {
      p.catch(function (err) {
        finish(isBlocked(err) ? "blocked" : "error");
      });
    }
  });
}

/** Say one call; resolves when it is over (never rejects, never hangs). */
export function announce(call) {
  if (soundState !== "on") return Promise.resolve("muted");
  var sentence = call.say || "";
  var want = call.voice_engine || engine();
  var voice = want === "browser" && sentence ? indonesianVoice() : null;
  var how = voice ? "browser" : "server";
  if (how === "server" && !call.audio) return Promise.resolve("skipped");
  var entry = {
    sentence: sentence,
    number: call.number,
    counter: call.counter,
    recall: !!call.recall,
    engine: how,
    start: window.performance.now(),
    end: null,
    outcome: null,
  };
  log.push(entry);
  announcing = true;
  var spoken = voice ? speak(sentence, voice) : playClip(call.audio);
  return spoken.then(function (outcome) {
    announcing = false;
    entry.end = window.performance.now();
    entry.outcome = outcome;
    if (outcome === "blocked") setSound("blocked");
    else played.push(sentence);
    if (played.length > KEEP) played.splice(0, played.length - KEEP);
    if (log.length > KEEP) log.splice(0, log.length - KEEP);
    return outcome;
  });
}
