/* The start screen: the office's name and running text, and the services as tiles in their groups. */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { $, state } from "./state.js";
import { finishText, hasEstimate, isClosed, queueCount, quotaLow, waitingText } from "./availability.js";
import { openDetail } from "./detail.js";
import { inLifeEvent, renderLifeEvents } from "./life_events.js";

// The groups' order on the screen, from the server's catalog (their names are the strings "group.<code>");
// groups it does not list follow.
var GROUP_ORDER = serverData("kiosk-config", { groups: [] }).groups;
var surveyGroup = document.getElementById("survey-group");

/** A group's name from the catalog, or its code when the catalog has none. */
function groupName(code) {
  var key = "group." + code;
  return i18n.t(key) === key ? code : i18n.t(key);
}

/** Outside the office's hours nothing is issued: say it once, at the top. */
function officeClosedMessage() {
  if (!state.services.length || !state.services.every(isClosed)) return null;
  var outside = state.services.filter(function (svc) {
    return svc.availability.reason === "outside_hours";
  })[0];
  return outside ? outside.availability.message : null;
}

export function renderServices() {
  var root = clear($("service-groups"));
  var officeClosed = officeClosedMessage();
  $("office-closed").hidden = !officeClosed;
  $("office-closed").textContent = officeClosed ? i18n.t(officeClosed) : "";

  renderLifeEvents(renderServices);
  var byGroup = {};
  state.services.filter(inLifeEvent).forEach(function (svc) {
    (byGroup[svc.group] = byGroup[svc.group] || []).push(svc);
  });
  var groups = GROUP_ORDER.filter(function (g) {
    return byGroup[g];
  }).concat(
    Object.keys(byGroup).filter(function (g) {
      return GROUP_ORDER.indexOf(g) === -1;
    })
  );
  var sopEstimates = false;
  groups.forEach(function (g) {
    var list = byGroup[g];
    // One-tile groups share a row; big groups get three tiles a row so all fits one screen.
    var cls = "k-group" + (list.length > 1 ? " k-group-wide" : "") + (list.length > 4 ? " k-group-many" : "");
    root.appendChild(
      h(
        "section",
        { class: cls, "data-group": g },
        h("h3", { class: "k-group-title" }, groupName(g)),
        h(
          "div",
          { class: "k-tiles" },
          list.map(function (svc) {
            if (hasEstimate(svc) && svc.estimate_basis !== "history") sopEstimates = true;
            return tile(svc, !!officeClosed);
          })
        )
      )
    );
  });
  $("estimate-footnote").hidden = !sopEstimates;
  root.appendChild(surveyGroup); // last; the dense grid puts it in a free cell when there is one
}

function tile(svc, officeClosed) {
  var closed = isClosed(svc);
  var low = quotaLow(svc);
  var reason = closed ? svc.availability.reason || "closed" : "";
  var closedText = "";
  if (closed && reason === "walk_in_full") {
    // The tile is small: the walk-in share used up and when the next number may come; the detail says it in full.
    var next = svc.availability.next_at;
    closedText = next ? i18n.fmt("tile_walk_in_next", { t: next }) : i18n.t("tile_walk_in_full");
  } else if (closed) {
    closedText =
      officeClosed && reason === "outside_hours" ? i18n.t("closed_outside_hours") : i18n.t(svc.availability.message) || i18n.t("closed");
  }
  var queue = queueCount(svc);
  var estimate = null;
  if (hasEstimate(svc)) {
    estimate = i18n.fmt("tile_estimate", { n: svc.estimate_minutes }) + (svc.estimate_basis === "history" ? "" : " *");
  }
  return h(
    "button",
    {
      type: "button",
      class: "k-tile" + (closed ? " k-tile-closed" : ""),
      "data-service": svc.code,
      "data-available": closed ? "false" : "true",
      onclick: function () {
        openDetail(svc.code);
      },
    },
    h("span", { class: "k-tile-name" }, i18n.t(svc.name)),
    closed
      ? h("span", { class: "k-tile-closed-text", "data-closed": reason }, closedText)
      : h("span", { class: "k-tile-summary" }, i18n.t(svc.summary)),
    h(
      "span",
      { class: "k-tile-foot" },
      h(
        "span",
        { class: "pill k-queue" + (queue ? "" : " pill-ok") },
        h("span", { "data-waiting": queue }, waitingText(queue)),
        estimate ? " · " : null,
        estimate ? h("span", { "data-estimate": svc.estimate_basis }, estimate) : null
      ),
      // What a resident needs, not the SOP's target (issue 15; staff pages keep it): done today or collected later.
      closed ? null : h("span", { class: "pill k-finish", "data-finish": svc.collected_later ? "later" : "today" }, finishText(svc)),
      low !== null ? h("span", { class: "pill pill-warn", "data-quota-left": low }, i18n.fmt("quota_left", { n: low })) : null,
      svc.blanko
        ? h(
            "span",
            { class: "pill " + (svc.blanko.out ? "pill-warn" : "pill-ok"), "data-blanko": svc.blanko.out ? "out" : "ok" },
            i18n.t(svc.blanko.out ? "blanko_out" : "blanko_ok")
          )
        : null
    )
  );
}

export function renderOffice() {
  var office = state.office || {};
  if (office.name) {
    $("office-name").textContent = office.name;
    document.title = i18n.t("title") + " · " + office.name;
  }
  var running = (office.running_text || "").trim();
  $("running-text").hidden = !running;
  $("running-text").textContent = running;
}
