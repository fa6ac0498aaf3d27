/* The office's name and the running text (the marquee restarts only for a new text). */
import * as i18n from "loket/i18n.js";
import { $, state } from "./state.js";
import { subsetLabel } from "./hall.js";

var shownText = null;

export function renderOffice() {
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
