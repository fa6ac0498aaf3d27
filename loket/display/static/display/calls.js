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

export function renderLatest() {
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

export function renderRecent() {
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
