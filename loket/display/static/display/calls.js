/* The latest call, large, and the calls before it (the recent calls), for this part of the hall. */
import { clear, h } from "loket/dom.js";
import { hhmm } from "loket/time.js";
import { $, state } from "./state.js";
import { showsCall } from "./hall.js";
import { fit, fitLines, fitText } from "./fit.js";

var RECENT = 6; // previous calls listed beside the latest

export function calls() {
  return state.calls.filter(showsCall);
}

/** A call still under way: its counter still serves its number (a counter not on this board: kept). Once the
 * ticket is done, cancelled or moved on, the counter shows another number or none, and the call is over. */
function underWay(call) {
  var counter = state.counters.find(function (c) {
    return c.counter === call.counter;
  });
  return !counter || counter.number === call.number;
}

/** The call the big panel shows: the latest, while it is under way (issue 15: a finished ticket stayed there);
 * once it is over the panel rests and the call joins the earlier ones. */
function current() {
  var latest = calls()[0];
  return latest && underWay(latest) ? latest : null;
}

export function renderLatest() {
  var call = current();
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

export function renderRecent() {
  var list = clear($("recent-calls"));
  var shown = current();
  var history = calls().filter(function (call) {
    return call !== shown;
  });
  history.slice(0, RECENT).forEach(function (call) {
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
  $("recent-empty").hidden = history.length > 0;
  list.querySelectorAll(".d-recent-counter").forEach(function (el) {
    // the whole name: on one line if a slightly smaller size will do, else on two lines
    el.style.whiteSpace = "nowrap";
    fitLines(el, null, 52);
    if (el.scrollWidth > el.clientWidth + 1) {
      el.style.whiteSpace = "";
      fitLines(el, null, 30);
    }
  });
  fit(list.parentNode, list);
}
