/* Each counter of this part of the hall with the number it serves; a counter that calls lights up. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { $, state } from "./state.js";
import { shows } from "./hall.js";
import { fitLines } from "./fit.js";

export function renderCounters() {
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
  grid.querySelectorAll(".d-counter-name").forEach(function (el) {
    // the whole name: one line if a slightly smaller size will do (not under 52 px), else two lines
    el.style.whiteSpace = "nowrap";
    fitLines(el, null, 52);
    if (el.scrollWidth > el.clientWidth + 1) {
      el.style.whiteSpace = "";
      fitLines(el, null, 36);
    }
  });
  $("counters-empty").hidden = shown.length > 0 || !state.day;
}

export function markCounter(name) {
  var node = document.querySelector('.d-counter[data-counter="' + (window.CSS && CSS.escape ? CSS.escape(name) : name) + '"]');
  if (node) {
    node.classList.remove("d-counter-called");
    void node.offsetWidth;
    node.classList.add("d-counter-called");
  }
}
