/* The services, their queues and availability: loaded at start, after each ticket, on live events and every 30 s. */
import * as i18n from "loket/i18n.js";
import { api } from "loket/request.js";
import { $, state, timers } from "./state.js";
import { renderOffice, renderServices } from "./tiles.js";
import { renderDetail } from "./detail.js";
import { hideOffline, noAnswer, showOffline } from "./offline.js";

var REFRESH_SECONDS = 30; // fallback refresh of queues and availability, besides the live push
var LIVE_DEBOUNCE_MS = 1500; // queue events arrive in bursts: refresh once after them

export function loadServices() {
  clearTimeout(timers.refresh);
  var seq = ++state.loadSeq;
  return api("GET", "/api/services")
    .then(function (data) {
      if (seq !== state.loadSeq) return; // a newer answer is on its way
      state.services = data.services || [];
      state.priorities = data.priorities || [];
      state.office = data.office || null;
      $("services-loading").hidden = true;
      hideOffline();
      renderOffice();
      renderServices();
      if (state.current) {
        state.current = byCode(state.current.code) || state.current;
        renderDetail();
      }
    })
    .catch(function (err) {
      if (noAnswer(err)) showOffline(); // the server is gone: to the front desk, in plain words
      if (!state.services.length) {
        $("services-loading").textContent = i18n.t("load_failed") + " (" + err.message + ")";
      }
    })
    .then(function () {
      if (seq !== state.loadSeq) return;
      timers.refresh = setTimeout(loadServices, REFRESH_SECONDS * 1000);
    });
}

/** Queue events come in bursts: refresh once, shortly after. */
export function refreshSoon() {
  if (timers.live) return;
  timers.live = setTimeout(function () {
    timers.live = null;
    loadServices();
  }, LIVE_DEBOUNCE_MS);
}

export function byCode(code) {
  return state.services.filter(function (s) {
    return s.code === code;
  })[0];
}
