/* How many wait per service group (the groups' order from the server's catalog, their names from the strings). */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { $, state } from "./state.js";
import { fit } from "./fit.js";

var GROUPS = serverData("display-config", { groups: [] }).groups;

export function renderWaiting() {
  var groups = state.waiting_groups || {};
  var codes = GROUPS.concat(
    Object.keys(groups).filter(function (g) {
      return GROUPS.indexOf(g) === -1;
    })
  );
  var total = 0;
  var list = clear($("waiting-groups"));
  codes.forEach(function (code) {
    var n = Number(groups[code]) || 0;
    total += n;
    var key = "group." + code;
    list.appendChild(
      h(
        "li",
        { class: "d-waiting-item" + (n ? "" : " d-waiting-zero"), "data-group": code, "data-count": n },
        h("span", { class: "d-waiting-name" }, i18n.t(key) === key ? code : i18n.t(key)),
        h("b", { class: "d-waiting-count num" }, n)
      )
    );
  });
  $("waiting-total").textContent = "· " + i18n.fmt("waiting_total", { n: total });
  $("waiting-total").setAttribute("data-total", String(total));
  // Short of room (a warning bar, a small screen): first two groups a row (the counts as large, the names
  // smaller), then the groups nobody waits for give way, then the last groups (the title still counts everyone).
  var panel = list.parentElement;
  var over = function () {
    return panel.scrollHeight > panel.clientHeight + 1;
  };
  list.classList.remove("d-waiting-compact");
  if (over()) list.classList.add("d-waiting-compact");
  var zeros = list.querySelectorAll(".d-waiting-zero");
  for (var i = zeros.length - 1; i >= 0 && over(); i--) {
    list.removeChild(zeros[i]);
  }
  if (list.children.length <= 3) list.classList.remove("d-waiting-compact");
  if (over()) list.classList.add("d-waiting-compact");
  fit(panel, list);
}
