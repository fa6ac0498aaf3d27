/* Documents ready for pickup: the numbers (large on a ?view=pickup board), new ones highlighted, the rest counted. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { $, state } from "./state.js";
import { view } from "./hall.js";
import { fit } from "./fit.js";

var READY_SHOWN = { board: 12, pickup: 40 }; // ready numbers listed; the rest is counted

var shownReady = null; // ready numbers already on screen, to highlight new ones

export function renderReady() {
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
