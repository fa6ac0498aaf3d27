/* Finding a service by what happened (issue 15): a baby was born, moving house, a lost document, a marriage,
 * a death... Each life event is a big button with a pictogram drawn for Loket (inline SVG, no icon set, no
 * network); choosing one shows only its services. Which services belong to which event is the SOPs'
 * `life_events` (loket/sops/*.yaml); the events and their order come from the server (kiosk-config). */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { $, state } from "./state.js";

var EVENTS = serverData("kiosk-config", { life_events: [] }).life_events || [];
var SVG = "http://www.w3.org/2000/svg";

// 24x24 line drawings (stroke = currentColor), simple enough to read from a metre away.
var PICTOGRAMS = {
  semua: ["M3.5 3.5h7v7h-7z", "M13.5 3.5h7v7h-7z", "M3.5 13.5h7v7h-7z", "M13.5 13.5h7v7h-7z"],
  // a swaddled baby
  "bayi-lahir": ["M12 3.2a3.3 3.3 0 1 1 0 6.6 3.3 3.3 0 0 1 0-6.6z", "M8 11.5h8a3 3 0 0 1 0 6l-1.8 3.3H9.8L8 17.5a3 3 0 0 1 0-6z", "M9.5 14.5h5"],
  // an identity card with its holder
  "umur-17": ["M2.5 5.5h19v13h-19z", "M8 9a2 2 0 1 1 0 4 2 2 0 0 1 0-4z", "M4.8 16.5c.5-1.4 1.7-2 3.2-2s2.7.6 3.2 2", "M14 10h5", "M14 13h5", "M14 16h3"],
  // a house and an arrow out of it
  "pindah-rumah": ["M2.5 11 9 5.5l6.5 5.5", "M4 10v10h10V10", "M7.5 20v-5h3v5", "M15.5 16h6", "M18.5 13l3 3-3 3"],
  // a document with a question mark
  "dokumen-hilang": ["M6 2.5h8l4.5 4.5v14.5H6z", "M14 2.5V7h4.5", "M10 11a2.2 2.2 0 1 1 3.4 1.8c-.8.5-1.2 1-1.2 1.9", "M12.2 17.6v.4"],
  // a document and a pencil
  "data-berubah": ["M5 2.5h8l4 4v5", "M13 2.5v4h4", "M5 2.5v19h6", "M8 9h5", "M8 12h4", "M13.5 21.5l.5-2.5 6-6 2 2-6 6z"],
  // two rings
  menikah: ["M9 8.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11z", "M15 8.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11z", "M10 4.5l2-2 2 2-2 2z"],
  // a heart broken in two
  cerai: ["M11 6.2A4.3 4.3 0 0 0 3 8.6c0 5 8 10.9 8 10.9", "M13 6.2a4.3 4.3 0 0 1 8 2.4c0 5-8 10.9-8 10.9", "M11 6.2 9.8 10l2.4 2-1.4 3.5", "M13 6.2 11.8 10l2.4 2-1.4 3.5"],
  // the yellow flag Indonesian families hang at a house of mourning
  kematian: ["M6 21.5v-19", "M6 3.5h12.5l-3 4.2 3 4.3H6", "M3.5 21.5h5"],
};

/** A pictogram as an inline <svg> (decorative: the button's text names it). */
export function pictogram(name) {
  var svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "k-event-icon");
  svg.setAttribute("data-pictogram", name);
  (PICTOGRAMS[name] || PICTOGRAMS.semua).forEach(function (d) {
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
  });
  return svg;
}

/** The services the chosen life event shows (all when none is chosen). */
export function inLifeEvent(svc) {
  return !state.lifeEvent || (svc.life_events || []).indexOf(state.lifeEvent) !== -1;
}

var onChange = function () {};

/** Draw the life-event buttons; `changed` is called after a choice (the tiles are drawn again). */
export function renderLifeEvents(changed) {
  if (changed) onChange = changed;
  var root = $("life-events");
  if (!root) return;
  var used = EVENTS.filter(function (e) {
    return state.services.some(function (svc) {
      return (svc.life_events || []).indexOf(e) !== -1;
    });
  });
  root.hidden = !used.length;
  var list = clear($("life-event-buttons"));
  [null].concat(used).forEach(function (e) {
    var pressed = (state.lifeEvent || null) === e;
    list.appendChild(
      h(
        "button",
        {
          type: "button",
          class: "k-event" + (pressed ? " k-event-on" : ""),
          "data-life-event": e || "",
          "aria-pressed": pressed ? "true" : "false",
          onclick: function () {
            chooseLifeEvent(e);
          },
        },
        pictogram(e || "semua"),
        h("span", { class: "k-event-label" }, i18n.t("life_event." + (e || "semua")))
      )
    );
  });
}

export function chooseLifeEvent(e) {
  state.lifeEvent = e || null;
  renderLifeEvents();
  onChange();
}
