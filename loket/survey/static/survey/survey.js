/* Survei Kepuasan Masyarakat: a resident rates the service after hand-over, on the kiosk or a counter tablet.
 *
 * Which ticket: the QR scanned by a keyboard-wedge scanner (types the QR text + Enter), or the number typed on
 * the on-screen keypad. Then nine elements, one per screen; a touch answers and moves on. Anonymous, optional:
 * "Lewati" on every screen, and an idle screen returns to the start by itself.
 * API: GET /api/survey/questions, GET /api/survey/ticket/<code>, POST /api/survey.
 *
 * The entry module: it wires the page; each behaviour lives in its own module beside it (ticket: the entry and
 * keypad; questions; finish: comment, sending, thanks; screens: the idle reset; offer: the counter tablet).
 * Every module's strings are the catalogs' scope "survey/survey", added here before anything renders.
 */
import * as i18n from "loket/i18n.js";
import { api } from "loket/request.js";
import { $, body, state } from "./state.js";
import { noMenusNoZoom as lockDown } from "loket/lockdown.js";
import { armIdle, resetToStart, screen, setBusy, show } from "./screens.js";
import { renderPrefixes, showStartError, wireEntry } from "./ticket.js";
import { previous, renderRate } from "./questions.js";
import { renderSummary, submit } from "./finish.js";
import { connectLive } from "./offer.js";

i18n.addStrings(i18n.pageStrings("survey/survey"));

function wire() {
  wireEntry();
  $("start-skip").addEventListener("click", function () {
    resetToStart(true);
  });
  $("rate-back").addEventListener("click", previous);
  ["rate-skip", "finish-skip"].forEach(function (id) {
    $(id).addEventListener("click", function () {
      resetToStart(true);
    });
  });
  $("finish-back").addEventListener("click", function () {
    state.index = state.elements.length - 1;
    renderRate();
    show("rate");
  });
  $("submit").addEventListener("click", submit);
  $("thanks-done").addEventListener("click", function () {
    resetToStart(true);
  });
  $("comment").addEventListener("input", armIdle);
  document.addEventListener("pointerdown", armIdle, true);
  i18n.onLangChange(function () {
    if (screen() === "rate") renderRate();
    if (screen() === "finish") renderSummary();
    setBusy($("start-next"), state.busy && screen() === "start", "next");
  });
}

lockDown();
wire();
i18n.initLangSwitch();
show("start");
api("GET", "/api/survey/questions")
  .then(function (data) {
    state.elements = data.elements;
    body.setAttribute("data-ready", "true");
  })
  .catch(function (err) {
    showStartError(err.message);
  });
api("GET", "/api/services")
  .then(function (data) {
    renderPrefixes(data.services);
  })
  .catch(function () {
    renderPrefixes([]);
  });
connectLive();
