/* The browser's own voice: a Web Audio chime ("ding-dong"), then the sentence in an Indonesian voice
 * (speechSynthesis, id-ID); never hanging (a guard ends a sentence that never finishes).
 */
import { context } from "./sound.js";

// eslint-disable-next-line no-unused-vars -- written, never read: holding it is the point
var utterance = null; // held, or Chrome may collect it before its "end" event

export function indonesianVoice() {
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
export function speak(sentence, voice) {
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
