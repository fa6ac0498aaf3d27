/* The prefix field's sound check: a warning (never a refusal) when the letter sounds like another service's
 * letter when the hall's voice reads it out ("be" / "de", "e" / "i"). Data: GET /api/admin/sops/prefix-check.
 */
import * as i18n from "loket/i18n.js";
import { h } from "loket/dom.js";
import { api } from "loket/request.js";
import { state } from "./state.js";

i18n.addStrings(i18n.pageStrings("admin/sop_edit/prefix_sound"));

var shown = [];
var timer = null;
var asked = 0;

function box() {
  var field = document.querySelector('#sop-form [data-field="prefix"]');
  if (!field) return null;
  var node = document.getElementById("prefix-sound");
  if (!node) {
    node = h("div", { id: "prefix-sound", class: "a-prefix-sound", role: "status", "aria-live": "polite" });
    field.appendChild(node);
  }
  return node;
}

export function renderPrefixSound() {
  var node = box();
  if (!node) return;
  node.textContent = "";
  node.hidden = !shown.length;
  if (!shown.length) return;
  node.appendChild(h("strong", {}, i18n.t("prefix_sound_heading")));
  node.appendChild(
    h(
      "ul",
      {},
      shown.map(function (w) {
        return h("li", { "data-other": w.other.code }, i18n.t(w.label));
      })
    )
  );
}

/** The warnings that came with an SOP from the server (its answer to a read or a save). */
export function showWarnings(warnings) {
  asked++; // an answer still on its way is older than these
  shown = warnings.filter(function (w) {
    return w.field === "prefix";
  });
  renderPrefixSound();
}

/** Ask the server about the letter now in the field (the last answer wins). */
export function checkPrefix() {
  var input = document.getElementById("f-prefix");
  var letter = input ? input.value.trim().toUpperCase() : "";
  var mine = ++asked;
  if (!/^[A-Z]$/.test(letter)) {
    shown = [];
    renderPrefixSound();
    return Promise.resolve();
  }
  var q = "?prefix=" + encodeURIComponent(letter) + (state.code ? "&code=" + encodeURIComponent(state.code) : "");
  return api("GET", "/api/admin/sops/prefix-check" + q).then(
    function (res) {
      if (mine !== asked) return;
      shown = res.warnings || [];
      renderPrefixSound();
    },
    function () {
      /* the check is a help only: a failure leaves the form as it is */
    }
  );
}

document.addEventListener("input", function (ev) {
  if (!ev.target || ev.target.id !== "f-prefix") return;
  clearTimeout(timer);
  timer = setTimeout(checkPrefix, 250);
});
