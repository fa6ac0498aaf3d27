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
 * For tests and the curious: window.LoketDisplay = {queueLength(), played: [sentences heard],
 * log: [{sentence, number, counter, recall, engine, start, end, outcome}], sound(), state}.
 * start/end are performance.now() milliseconds; outcome is "ended", "error", "timeout" (the queue
 * moves on in every case) or "blocked" (the browser refused: not in `played`, the warning shows).
 * Both lists keep the last 500 calls, so a board left on for weeks does not grow.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { hhmm, hhmmss, longDate } from "loket/time.js";

var FLASH_SECONDS = 6; // a new call fills the screen at least this long …
var FLASH_BUSY_SECONDS = 3; // … or this long when more calls are waiting to be shown
var RECENT = 6; // previous calls listed beside the latest
var READY_SHOWN = { board: 12, pickup: 40 }; // ready numbers listed; the rest is counted
var SYNC_DELAY_MS = 250; // several events in a burst cause one state refresh
var SOUND_KEY = "loket.display.sound";
var CLIP_GUARD_MS = 20000; // a clip that never starts or ends does not stop the queue
var VIDEO_GUARD_MS = 15 * 60 * 1000;
var GROUPS = ["ktp-el", "kk", "kia", "akta", "pindah", "lainnya"];
// A WAV of 0.05 s silence: played inside the first tap, it unlocks audio for the page.
var SILENCE = silentWav(0.05);

i18n.addStrings(i18n.pageStrings("display/display"));

var $ = function (id) {
  return document.getElementById(id);
};

// ---- which part of the hall this display shows ---------------------------

var params = new URLSearchParams(window.location.search);
var view = params.get("view") === "pickup" ? "pickup" : "board";
var zoneFilter = (params.get("zone") || "").trim().toLowerCase();
var counterFilter = (params.get("counters") || "")
  .split(",")
  .map(function (s) {
    return s.trim().toLowerCase();
  })
  .filter(Boolean);
var slideSeconds = Math.max(2, Number(params.get("slide")) || 10);

/** Does this display show that counter (by name, number and zone)? */
function shows(name, number, zone) {
  if (zoneFilter && String(zone || "").toLowerCase() !== zoneFilter) return false;
  if (counterFilter.length) {
    var n = String(name || "").toLowerCase();
    var k = number === null || number === undefined ? "" : String(number);
    return counterFilter.some(function (want) {
      return want === n || want === k;
    });
  }
  return true;
}

function showsCall(call) {
  return shows(call.counter, call.counter_number, call.zone);
}

function subsetLabel() {
  var parts = [];
  if (view === "pickup") parts.push(i18n.t("subtitle_pickup"));
  if (zoneFilter) parts.push(i18n.fmt("subset_zone", { z: params.get("zone").trim() }));
  if (counterFilter.length) {
    parts.push(
      (params.get("counters") || "")
        .split(",")
        .map(function (s) {
          return s.trim();
        })
        .filter(Boolean)
        .join(", ")
    );
  }
  return parts.length ? " · " + parts.join(" · ") : "";
}

// ---- state ----------------------------------------------------------------

var state = {
  day: null,
  calls: [],
  counters: [],
  waiting_groups: {},
  ready: [],
  office: { name: "", running_text: "" },
  voice: { engine: "server" },
  media: [],
};
var shownReady = null; // ready numbers already on screen, to highlight new ones
var syncTimer = null;
var lastUpdate = null;

// ---- rendering ------------------------------------------------------------

function calls() {
  return state.calls.filter(showsCall);
}

/** Drop the last items of a list while its panel overflows; returns how many were dropped. */
function fit(panel, list, onDrop) {
  var dropped = 0;
  while (list.lastChild && panel.scrollHeight > panel.clientHeight + 1) {
    list.removeChild(list.lastChild);
    dropped += 1;
    if (onDrop) onDrop(dropped);
  }
  return dropped;
}

/** Shrink a one-line text (from its CSS size) until it fits its box: long counter names stay whole. */
function fitText(el) {
  el.style.fontSize = "";
  if (!el.clientWidth) return;
  var max = parseFloat(window.getComputedStyle(el).fontSize);
  var size = max;
  while (size > max * 0.35 && el.scrollWidth > el.clientWidth) {
    size -= 4;
    el.style.fontSize = size + "px";
  }
}

/** Shrink a wrapping text (from its CSS size) until it fits: its own line clamp, and the box it sits in. */
function fitLines(el, box, smallest) {
  el.style.fontSize = "";
  if (!el.clientWidth) return;
  box = box || el;
  var max = parseFloat(window.getComputedStyle(el).fontSize);
  var min = smallest || max * 0.4;
  var size = max;
  var over = function () {
    return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  };
  while (size > min && over()) {
    size -= 2;
    el.style.fontSize = size + "px";
  }
}

/** The office's name, however long: two lines in the header, whole in the welcome panel. */
function fitOffice() {
  fitLines($("office-name"), null, 22);
  fitLines($("media-office"), $("media-placeholder"), 20);
}

function renderLatest() {
  var call = calls()[0];
  var box = $("latest-call");
  box.classList.toggle("d-now-idle", !call);
  $("latest-number").textContent = call ? call.number : "—";
  $("latest-counter").textContent = call ? call.counter || "" : "—";
  $("latest-recall").hidden = !(call && call.recall);
  fitText($("latest-number"));
  fitText($("latest-counter"));
  if (call) {
    box.setAttribute("data-call-number", call.number);
    box.setAttribute("data-call-counter", call.counter || "");
  } else {
    box.removeAttribute("data-call-number");
    box.removeAttribute("data-call-counter");
  }
}

function renderRecent() {
  var list = clear($("recent-calls"));
  var all = calls();
  all.slice(1, 1 + RECENT).forEach(function (call) {
    list.appendChild(
      h(
        "li",
        { class: "d-recent-item", "data-call-number": call.number, "data-call-counter": call.counter || "" },
        h("span", { class: "d-recent-number num" }, call.number),
        h(
          "span",
          { class: "d-recent-where" },
          h("span", { class: "d-recent-counter" }, call.counter || ""),
          h("span", { class: "d-recent-time num" }, hhmm(call.at))
        )
      )
    );
  });
  $("recent-empty").hidden = all.length > 1;
  list.querySelectorAll(".d-recent-counter").forEach(function (el) {
    // the whole name: on one line if a slightly smaller size will do, else on two lines
    el.style.whiteSpace = "nowrap";
    fitLines(el, null, 24);
    if (el.scrollWidth > el.clientWidth + 1) {
      el.style.whiteSpace = "";
      fitLines(el, null, 18);
    }
  });
  fit(list.parentNode, list);
}

function renderCounters() {
  var grid = clear($("counters"));
  var shown = state.counters.filter(function (c) {
    return shows(c.counter, c.counter_number, c.zone);
  });
  shown.forEach(function (c) {
    grid.appendChild(
      h(
        "li",
        {
          class: "d-counter" + (c.number ? " d-counter-busy" : ""),
          "data-counter": c.counter,
          "data-number": c.number || "",
        },
        h("span", { class: "d-counter-name" }, c.counter),
        h("span", { class: "d-counter-number num" }, c.number || i18n.t("idle"))
      )
    );
  });
  grid.style.setProperty("--d-counter-count", String(Math.max(1, shown.length)));
  $("counters-empty").hidden = shown.length > 0 || !state.day;
}

function renderWaiting() {
  var groups = state.waiting_groups || {};
  var codes = GROUPS.concat(
    Object.keys(groups).filter(function (g) {
      return GROUPS.indexOf(g) === -1;
    })
  );
  var total = 0;
  var list = clear($("waiting-groups"));
  codes.forEach(function (code) {
    var n = Number(groups[code]) || 0;
    total += n;
    var key = "group." + code;
    list.appendChild(
      h(
        "li",
        { class: "d-waiting-item" + (n ? "" : " d-waiting-zero"), "data-group": code, "data-count": n },
        h("span", { class: "d-waiting-name" }, i18n.t(key) === key ? code : i18n.t(key)),
        h("b", { class: "d-waiting-count num" }, n)
      )
    );
  });
  $("waiting-total").textContent = "· " + i18n.fmt("waiting_total", { n: total });
  $("waiting-total").setAttribute("data-total", String(total));
  // Short of room (a warning bar, a small screen): groups nobody waits for give way first.
  var panel = list.parentElement;
  var zeros = list.querySelectorAll(".d-waiting-zero");
  for (var i = zeros.length - 1; i >= 0 && panel.scrollHeight > panel.clientHeight + 1; i--) {
    list.removeChild(zeros[i]);
  }
}

function renderReady() {
  var ready = state.ready || [];
  var limit = READY_SHOWN[view];
  var list = clear($("ready-list"));
  ready.slice(0, limit).forEach(function (number) {
    var fresh = shownReady !== null && shownReady.indexOf(number) === -1;
    list.appendChild(h("li", { class: "d-ready-item num" + (fresh ? " d-ready-new" : ""), "data-number": number }, number));
  });
  var more = Math.max(0, ready.length - limit);
  var showMore = function (n) {
    $("ready-more").hidden = n <= 0;
    $("ready-more").textContent = n > 0 ? i18n.fmt("ready_more", { n: n }) : "";
  };
  showMore(more);
  $("ready-empty").hidden = ready.length > 0;
  fit($("ready-panel"), list, function (dropped) {
    showMore(more + dropped); // what does not fit on this screen is counted, not cut in half
  });
  shownReady = state.day ? ready.slice() : null;
}

var shownText = null;

function renderOffice() {
  var name = (state.office && state.office.name) || "";
  if (name) {
    $("office-name").textContent = name;
    $("media-office").textContent = name;
    document.title = i18n.t("subtitle") + " · " + name;
  }
  var text = ((state.office && state.office.running_text) || "").trim();
  if (text !== shownText) {
    // only a new text restarts the scrolling
    shownText = text;
    $("running-text").textContent = text;
    $("running-text").style.setProperty("--d-marquee-seconds", Math.max(14, Math.round(text.length * 0.22)) + "s");
    $("marquee").hidden = !text;
  }
  $("subset").textContent = subsetLabel();
}

function renderAll() {
  renderOffice();
  renderLatest();
  renderRecent();
  renderCounters();
  renderWaiting();
  renderReady();
  fitOffice(); // after the lists: the recent calls set the welcome panel's height
}

// ---- sound ----------------------------------------------------------------

var player = $("voice-player");
var soundState = "ask"; // "ask": never switched on here; "on"; "blocked": on, but the browser refuses
var audioCtx = null;
var played = [];
var log = [];
var KEEP = 500;
// eslint-disable-next-line no-unused-vars -- written, never read: holding it is the point
var utterance = null; // held, or Chrome may collect it before its "end" event

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

function storedOn() {
  if (params.get("sound") === "on") return true;
  try {
    return window.localStorage.getItem(SOUND_KEY) === "on";
  } catch {
    return false;
  }
}

function setSound(next) {
  soundState = next;
  document.body.setAttribute("data-sound", next);
  $("sound-ask").hidden = next !== "ask";
  $("sound-warning").hidden = next !== "blocked";
  var key = next === "on" ? "sound_on" : next === "blocked" ? "sound_off" : "sound_ask";
  $("sound-text").setAttribute("data-i18n", key);
  $("sound-text").textContent = i18n.t(key);
  refit(); // the sound bar changes the room left for the lists
}

function refit() {
  if (state.day) {
    renderLatest();
    renderRecent();
    renderReady();
  }
  fitOffice();
}

function isBlocked(err) {
  return !!err && err.name === "NotAllowedError";
}

var announcing = false;
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

function context() {
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
function enableSound() {
  try {
    window.localStorage.setItem(SOUND_KEY, "on");
  } catch {
    /* not remembered: it will ask again next time */
  }
  if (engine() === "browser") context();
  setSound("on");
  var seq = ++probeSeq;
  probe().then(function (ok) {
    if (!ok && seq === probeSeq) setSound("blocked");
  });
}

function onInteraction() {
  if (soundState !== "on") enableSound();
}

function engine() {
  return (state.voice && state.voice.engine) || "server";
}

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
function announce(call) {
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

// ---- a new call: large on screen, then announced, one at a time ------------

var waiting = []; // calls not shown yet
var current = null; // the call on screen now
var currentSpoken = false;
var currentSince = 0;
var lingerTimer = null;

function markCounter(name) {
  var node = document.querySelector('.d-counter[data-counter="' + (window.CSS && CSS.escape ? CSS.escape(name) : name) + '"]');
  if (node) {
    node.classList.remove("d-counter-called");
    void node.offsetWidth;
    node.classList.add("d-counter-called");
  }
}

function showCall(call) {
  $("flash-number").textContent = call.number;
  $("flash-counter").textContent = call.counter || "";
  $("flash-recall").hidden = !call.recall;
  var box = $("call-flash");
  box.setAttribute("data-call-number", call.number);
  box.setAttribute("data-call-counter", call.counter || "");
  box.classList.toggle("d-flash-recall", !!call.recall);
  box.hidden = false;
  fitText($("flash-number"));
  fitText($("flash-counter"));
  // restart the entrance animation for back-to-back calls
  box.classList.remove("d-flash-in");
  void box.offsetWidth;
  box.classList.add("d-flash-in");
  markCounter(call.counter);
}

function nextCall() {
  clearTimeout(lingerTimer);
  current = waiting.shift() || null;
  if (!current) {
    $("call-flash").hidden = true;
    return;
  }
  var mine = current;
  currentSpoken = false;
  currentSince = Date.now();
  showCall(mine);
  var spoken;
  try {
    spoken = announce(mine);
  } catch {
    spoken = Promise.resolve("error"); // a broken voice must never stop the board
  }
  spoken.then(function () {
    if (current !== mine) return;
    currentSpoken = true;
    linger();
  });
}

/** Keep the call on screen for its minimum time, shorter when others are waiting. */
function linger() {
  if (!current || !currentSpoken) return;
  clearTimeout(lingerTimer);
  var left = currentSince + (waiting.length ? FLASH_BUSY_SECONDS : FLASH_SECONDS) * 1000 - Date.now();
  if (left <= 0) nextCall();
  else lingerTimer = setTimeout(nextCall, left);
}

function present(call) {
  waiting.push(call);
  if (!current) nextCall();
  else linger();
}

// ---- media: the office's own images and videos ------------------------------

var media = { items: [], key: null, index: -1, timer: null, failures: 0 };

function setMedia(items) {
  items = (items || []).filter(function (m) {
    return m && m.url;
  });
  var key = JSON.stringify(items);
  if (key === media.key) return;
  media.key = key;
  media.items = items;
  media.index = -1;
  media.failures = 0;
  nextMedia();
}

function nextMedia() {
  clearTimeout(media.timer);
  var stage = clear($("media-stage"));
  if (!media.items.length || media.failures >= media.items.length) {
    $("media").setAttribute("data-showing", "placeholder");
    $("media-placeholder").hidden = false;
    stage.hidden = true;
    fitOffice();
    if (media.items.length) {
      // every file failed: try again later, calmly
      media.timer = setTimeout(function () {
        media.failures = 0;
        nextMedia();
      }, 60000);
    }
    return;
  }
  media.index = (media.index + 1) % media.items.length;
  var item = media.items[media.index];
  var failed = function () {
    media.failures += 1;
    clearTimeout(media.timer);
    media.timer = setTimeout(nextMedia, 500);
  };
  var node;
  if (item.kind === "video") {
    node = h("video", { class: "d-media-item", src: item.url, playsinline: true, preload: "auto" });
    node.muted = true; // the hall hears the calls, not the videos
    node.addEventListener("ended", function () {
      media.failures = 0;
      nextMedia();
    });
    node.addEventListener("error", failed);
    media.timer = setTimeout(nextMedia, VIDEO_GUARD_MS);
    var p = node.play();
    if (p && typeof p.catch === "function") p.catch(failed);
  } else {
    node = h("img", { class: "d-media-item", src: item.url, alt: "" });
    node.addEventListener("load", function () {
      media.failures = 0;
    });
    node.addEventListener("error", failed);
    media.timer = setTimeout(nextMedia, slideSeconds * 1000);
  }
  node.setAttribute("data-media-index", String(media.index));
  stage.appendChild(node);
  stage.hidden = false;
  $("media-placeholder").hidden = true;
  $("media").setAttribute("data-showing", item.kind === "video" ? "video" : "image");
}

// ---- server events --------------------------------------------------------

function touched() {
  lastUpdate = new Date();
}

function onState(data) {
  state.day = data.day;
  state.calls = data.calls || [];
  state.counters = data.counters || [];
  state.waiting_groups = data.waiting_groups || {};
  state.ready = data.ready || [];
  state.office = data.office || { name: "", running_text: "" };
  state.voice = data.voice || { engine: "server" };
  touched();
  renderAll();
  if (view === "board") setMedia(data.media);
}

function onCalled(call) {
  call = Object.assign({ at: new Date().toISOString() }, call);
  state.calls.unshift(call);
  state.calls = state.calls.slice(0, 40);
  state.ready = (state.ready || []).filter(function (n) {
    return n !== call.number; // called to collect it
  });
  var known = false;
  state.counters.forEach(function (c) {
    if (c.counter === call.counter) {
      c.number = call.number;
      known = true;
    }
  });
  if (!known && call.counter) {
    state.counters.push({ counter: call.counter, counter_number: call.counter_number, zone: call.zone || null, number: call.number });
  }
  touched();
  renderAll();
  if (showsCall(call)) present(call);
}

function requestSync(socket) {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(function () {
    if (socket.connected) socket.emit("display.sync");
  }, SYNC_DELAY_MS);
}

function setConnection(status) {
  document.body.setAttribute("data-connection", status);
  $("conn-text").setAttribute("data-i18n", status === "online" ? "online" : status === "offline" ? "reconnecting" : "connecting");
  $("conn-text").textContent = i18n.t($("conn-text").getAttribute("data-i18n"));
  var banner = $("offline-banner");
  banner.hidden = status !== "offline";
  if (status === "offline") {
    $("offline-since").textContent = lastUpdate ? "· " + i18n.fmt("offline_since", { t: hhmm(lastUpdate) }) : "";
  }
}

function connect() {
  if (typeof window.io !== "function") {
    setConnection("offline");
    return null;
  }
  var socket = window.io({ auth: { channel: "display" }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    setConnection("online"); // the server sends the full state by itself
  });
  socket.on("disconnect", function () {
    setConnection("offline");
  });
  socket.on("connect_error", function () {
    setConnection("offline");
  });
  socket.on("display.state", onState);
  socket.on("ticket.called", onCalled);
  // The office changed its settings (name, running text, voice, media): fetch the state again.
  // No reload: a reload would lose the sound the first tap switched on.
  socket.on("settings.changed", function () {
    requestSync(socket);
  });
  // Anything that changes a counter, the queue or the ready list: ask for the whole state again.
  socket.onAny(function (event) {
    if (event.indexOf("ticket.") === 0) requestSync(socket);
  });
  return socket;
}

// ---- clock ------------------------------------------------------------------

var shownDate = "";

function tick(socket) {
  var now = new Date();
  $("clock").textContent = hhmmss(now);
  var date = longDate(now);
  if (date !== shownDate) {
    // a new day (or language): the server's state starts afresh at midnight
    if (shownDate && socket) requestSync(socket);
    shownDate = date;
    $("date").textContent = date;
  }
}

// ---- start --------------------------------------------------------------------

window.LoketDisplay = {
  /** Calls not yet announced: waiting ones, plus the one on screen while it is being said. */
  queueLength: function () {
    return waiting.length + (current && !currentSpoken ? 1 : 0);
  },
  played: played,
  log: log,
  sound: function () {
    return soundState;
  },
  state: state,
  view: view,
};

document.body.setAttribute("data-view", view);

i18n.onLangChange(function () {
  shownDate = "";
  $("date").textContent = longDate(new Date());
  shownDate = $("date").textContent;
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
  var seq = ++probeSeq;
  probe().then(function (ok) {
    if (!ok && seq === probeSeq) setSound("blocked");
  });
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
