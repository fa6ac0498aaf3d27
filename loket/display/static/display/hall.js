/* Which part of the hall this display shows, from its URL: ?view=pickup, ?zone=, ?counters=, ?slide=. */
import * as i18n from "loket/i18n.js";

export var params = new URLSearchParams(window.location.search);
export var view = params.get("view") === "pickup" ? "pickup" : "board";
var zoneFilter = (params.get("zone") || "").trim().toLowerCase();
var counterFilter = (params.get("counters") || "")
  .split(",")
  .map(function (s) {
    return s.trim().toLowerCase();
  })
  .filter(Boolean);
export var slideSeconds = Math.max(2, Number(params.get("slide")) || 10);

/** Does this display show that counter (by name, number and zone)? */
export function shows(name, number, zone) {
  if (zoneFilter && String(zone || "").toLowerCase() !== zoneFilter) return false;
  if (counterFilter.length) {
    var n = String(name || "").toLowerCase();
    var k = number === null || number === undefined ? "" : String(number);
    return counterFilter.some(function (want) {
      return want === n || want === k;
    });
  }
  return true;
}

export function showsCall(call) {
  return shows(call.counter, call.counter_number, call.zone);
}

export function subsetLabel() {
  var parts = [];
  if (view === "pickup") parts.push(i18n.t("subtitle_pickup"));
  if (zoneFilter) parts.push(i18n.fmt("subset_zone", { z: params.get("zone").trim() }));
  if (counterFilter.length) {
    parts.push(
      (params.get("counters") || "")
        .split(",")
        .map(function (s) {
          return s.trim();
        })
        .filter(Boolean)
        .join(", ")
    );
  }
  return parts.length ? " · " + parts.join(" · ") : "";
}
