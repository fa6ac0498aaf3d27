/* 3. The answers to check, a comment, sending; then thanks, and back to the start after a countdown. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { $, source, state, timers } from "./state.js";
import { resetToStart, setBusy, show } from "./screens.js";
import { refusalText } from "./ticket.js";
import { renderRate } from "./questions.js";

var THANKS_SECONDS = 8;

export function renderSummary() {
  var root = clear($("summary"));
  state.elements.forEach(function (el, i) {
    var value = state.answers[el.key];
    root.appendChild(
      h(
        "li",
        { class: "sv-summary-item", "data-element": el.key, "data-value": value },
        h(
          "button",
          {
            type: "button",
            class: "sv-summary-btn",
            onclick: function () {
              state.index = i;
              renderRate();
              show("rate");
            },
          },
          h("span", { class: "sv-summary-name" }, i18n.t(el.label)),
          h("span", { class: "sv-summary-value sv-answer-" + value }, value + " · " + i18n.t(el.answers[value - 1]))
        )
      )
    );
  });
}

export function submit() {
  if (state.busy) return;
  state.busy = true;
  setBusy($("submit"), true, "submit");
  $("finish-error").hidden = true;
  api("POST", "/api/survey", {
    code: state.code,
    answers: state.answers,
    comment: $("comment").value.trim() || null,
    source: source,
  })
    .then(function () {
      state.code = null;
      state.answers = {};
      $("comment").value = "";
      show("thanks");
      startThanks();
    })
    .catch(function (err) {
      $("finish-error").textContent = refusalText(err);
      $("finish-error").hidden = false;
    })
    .then(function () {
      state.busy = false;
      setBusy($("submit"), false, "submit");
    });
}

function startThanks() {
  var left = THANKS_SECONDS;
  $("thanks-countdown").textContent = String(left);
  clearInterval(timers.thanks);
  timers.thanks = setInterval(function () {
    left -= 1;
    $("thanks-countdown").textContent = String(Math.max(0, left));
    if (left <= 0) resetToStart(true);
  }, 1000);
}
