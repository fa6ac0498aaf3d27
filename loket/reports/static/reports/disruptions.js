/* The report's disruptions (gangguan): scope, service, reason, start, end and minutes inside the period. Their
 * minutes are reported here apart; compliance leaves them out (docs/reports.md, "Disruptions"). The berkas left
 * during each (titip) are counted here too, apart: no resident waited in the hall for them. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { hhmm, longDate } from "loket/time.js";
import * as R from "./shell.js";

i18n.addStrings(i18n.pageStrings("reports/disruptions"));

function when(iso) {
  return iso ? longDate(iso) + " " + hhmm(iso) : i18n.t("dis_still_on");
}

export function renderDisruptions(rows) {
  var table = clear(document.getElementById("table-disruptions"));
  document.getElementById("disruptions-empty").hidden = rows.length > 0;
  table.hidden = !rows.length;
  if (!rows.length) return;
  table.appendChild(
    h(
      "tr",
      null,
      ["dis_scope", "dis_reason", "dis_started", "dis_ended", "dis_minutes", "dis_titip"].map(function (k) {
        return h("th", null, i18n.t(k));
      })
    )
  );
  var total = 0;
  rows.forEach(function (r) {
    total += r.minutes;
    table.appendChild(
      h(
        "tr",
        { "data-disruption": r.id },
        h("td", null, r.scope === "office" ? i18n.t("dis_office") : i18n.t(r.service)),
        h("td", null, i18n.t(r.reason_label) + (r.note ? " · " + r.note : "")),
        h("td", null, when(r.started_at)),
        h("td", null, when(r.ended_at)),
        h("td", { class: "r-num" }, R.num(r.minutes, 1)),
        h(
          "td",
          { class: "r-num", "data-titip": r.titip || 0, title: i18n.fmt("dis_titip_received", { n: r.titip_received || 0 }) },
          String(r.titip || 0)
        )
      )
    );
  });
  table.appendChild(h("tr", null, h("th", { colspan: "4" }, i18n.t("dis_total")), h("th", { class: "r-num" }, R.num(total, 1)), h("th")));
}
