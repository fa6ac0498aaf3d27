/* 2. The nine elements, one per screen: a touch answers and moves on; back goes to the previous one. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { $, state } from "./state.js";
import { armIdle, resetToStart, show } from "./screens.js";
import { renderSummary } from "./finish.js";

export function renderRate() {
  var el = state.elements[state.index];
  if (!el) return;
  var total = state.elements.length;
  $("rate-ticket").textContent = state.number || "";
  $("progress-text").textContent = i18n.fmt("progress", { n: state.index + 1, m: total });
  var dots = clear($("progress-dots"));
  state.elements.forEach(function (e, i) {
    dots.appendChild(
      h("li", { class: "sv-dot" + (i === state.index ? " sv-dot-now" : state.answers[e.key] ? " sv-dot-done" : "") })
    );
  });
  $("element-name").textContent = state.index + 1 + ". " + i18n.t(el.label);
  $("question-text").textContent = i18n.t(el.question);
  var root = clear($("answers"));
  // Best first: the eye lands on the top answer; the value (1-4) is fixed by the regulation.
  for (var value = 4; value >= 1; value--) {
    root.appendChild(
      h(
        "button",
        {
          type: "button",
          class: "sv-answer sv-answer-" + value,
          "data-value": value,
          "aria-pressed": state.answers[el.key] === value ? "true" : "false",
          onclick: answer.bind(null, value),
        },
        h("span", { class: "sv-answer-value num", "aria-hidden": "true" }, String(value)),
        h("span", { class: "sv-answer-text" }, i18n.t(el.answers[value - 1]))
      )
    );
  }
  $("rate-back").disabled = false;
}

function answer(value) {
  var el = state.elements[state.index];
  state.answers[el.key] = value;
  if (state.index + 1 < state.elements.length) {
    state.index += 1;
    renderRate();
    armIdle();
  } else {
    renderSummary();
    show("finish");
  }
}

export function previous() {
  if (state.index === 0) {
    resetToStart(false);
    return;
  }
  state.index -= 1;
  renderRate();
}
