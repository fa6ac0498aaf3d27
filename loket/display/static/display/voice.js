/* Saying a call: the server's audio clip (chime + espeak-ng voice), or a Web Audio chime and the browser's
 * Indonesian voice; never over another call, never hanging (every clip has a guard), the last 500 kept.
 */
import { context, engine, isBlocked, player, setSound, soundState } from "./sound.js";

var CLIP_GUARD_MS = 20000; // a clip that never starts or ends does not stop the queue

export var played = [];
export var log = [];
var KEEP = 500;
// eslint-disable-next-line no-unused-vars -- written, never read: holding it is the point
var utterance = null; // held, or Chrome may collect it before its "end" event

export var announcing = false;

function indonesianVoice() {
  var synth = window.speechSynthesis;
  if (!synth || typeof synth.getVoices !== "function") return null;
  var voices = synth.getVoices() || [];
  for (var i = 0; i < voices.length; i++) {
    if (/^(id|in|ind)([-_]|$)/i.test(voices[i].lang || "")) return voices[i];
  }
  return null;
}

function later(ms) {
  return new Promise(function (resolve) {
    setTimeout(resolve, ms);
  });
}

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

/** A soft two-note chime ("ding-dong") made in the browser. */
function chime() {
  var ctx = context();
  if (!ctx) return Promise.resolve();
  try {
    var t0 = ctx.currentTime + 0.05;
    [
      [659.25, 0],
      [523.25, 0.5],
    ].forEach(function (note) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, t0 + note[1]);
      gain.gain.exponentialRampToValueAtTime(0.35, t0 + note[1] + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + note[1] + 0.9);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + note[1]);
      osc.stop(t0 + note[1] + 1);
    });
  } catch {
    return Promise.resolve();
  }
  return later(1500);
}

/** The chime, then the sentence in the browser's own Indonesian voice. */
function speak(sentence, voice) {
  return chime().then(function () {
    return new Promise(function (resolve) {
      var synth = window.speechSynthesis;
      var finished = false;
      var guard = setTimeout(function () {
        finish("timeout");
      }, 6000 + sentence.length * 150);
      function finish(outcome) {
        if (finished) return;
        finished = true;
        clearTimeout(guard);
        if (outcome === "timeout") synth.cancel();
        resolve(outcome);
      }
      var u = new window.SpeechSynthesisUtterance(sentence);
      u.lang = "id-ID";
      try {
        u.voice = voice;
      } catch {
        /* the lang alone picks an Indonesian voice */
      }
      u.rate = 0.9;
      utterance = u;
      u.onend = function () {
        finish("ended");
      };
      u.onerror = function (ev) {
        finish(ev && ev.error === "not-allowed" ? "blocked" : "error");
      };
      try {
        synth.cancel(); // a stuck queue from an earlier error would delay this call
        synth.speak(u);
      } catch {
        finish("error");
      }
    });
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
