/* The IKM report for the admin and the head of office: log in, choose a period and a service, read, print, export.
 * Data: GET /api/survey/report?from=&to=&service= (staff_required admin or kepala); CSV and XLSX beside it.
 */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { longDate } from "loket/time.js";
import * as S from "loket/shell.js";

i18n.addStrings(i18n.pageStrings("survey/report"));

var $ = S.$;
var state = { data: null, services: [] };

// ---- the period ----------------------------------------------------------------------

function iso(d) {
  return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
}

function preset(kind, todayIso) {
  var parts = todayIso.split("-").map(Number);
  var year = parts[0];
  var month = parts[1] - 1;
  var first = { month: month, quarter: month - (month % 3), semester: month < 6 ? 0 : 6, year: 0 }[kind];
  var span = { month: 1, quarter: 3, semester: 6, year: 12 }[kind];
  return { from: iso(new Date(year, first, 1)), to: iso(new Date(year, first + span, 0)) };
}

function query() {
  var params = new URLSearchParams();
  params.set("from", $("f-from").value);
  params.set("to", $("f-to").value);
  if ($("f-service").value) params.set("service", $("f-service").value);
  if ($("f-site") && $("f-site").value) params.set("site", $("f-site").value); // at the hub (issue 16)
  return params;
}

/** The page opens: the period from the address the first time, then the one in the form. */
function open() {
  return load(state.data ? query() : new URLSearchParams(window.location.search));
}

function load(params) {
  $("report-error").hidden = true;
  return api("GET", "/api/survey/report?" + params.toString())
    .then(function (data) {
      state.data = data;
      state.services = data.services_available || [];
      $("f-from").value = data.from;
      $("f-to").value = data.to;
      renderServiceOptions(data.service);
      render();
      var q = new URLSearchParams({ from: data.from, to: data.to });
      if (data.service) q.set("service", data.service);
      if (data.site) q.set("site", data.site);
      if ($("f-site")) $("f-site").value = data.site || "";
      q.set("lang", i18n.lang);
      $("download-csv").href = "/api/survey/report.csv?" + q.toString();
      $("download-xlsx").href = "/api/survey/report.xlsx?" + q.toString();
      try {
        q.delete("lang");
        window.history.replaceState(null, "", "?" + q.toString());
      } catch {
        /* no history API: the URL just does not follow */
      }
    })
    .catch(function (err) {
      if (err.status === 401 || err.status === 403) return S.handle(err);
      $("report-error").textContent = err.message;
      $("report-error").hidden = false;
    });
}

function renderServiceOptions(selected) {
  var select = clear($("f-service"));
  select.appendChild(h("option", { value: "" }, i18n.t("all_services")));
  state.services.forEach(function (s) {
    select.appendChild(h("option", { value: s.code, selected: s.code === selected }, i18n.t(s.name)));
  });
}

$("filters").addEventListener("submit", function (e) {
  e.preventDefault();
  load(query());
});
document.querySelectorAll("[data-preset]").forEach(function (btn) {
  btn.addEventListener("click", function () {
    var today = state.data ? state.data.today || state.data.to : iso(new Date());
    var range = preset(btn.getAttribute("data-preset"), today);
    $("f-from").value = range.from;
    $("f-to").value = range.to;
    load(query());
  });
});
$("print").addEventListener("click", function () {
  window.print();
});

// ---- the report ---------------------------------------------------------------------

function fixed(value, digits) {
  if (value === null || value === undefined) return "–";
  var text = Number(value).toFixed(digits);
  return i18n.lang === "id" ? text.replace(".", ",") : text;
}

function dateText(isoDay) {
  var p = isoDay.split("-").map(Number);
  return longDate(new Date(Date.UTC(p[0], p[1] - 1, p[2], 5))).replace(/^[^,]+, /, ""); // midday in Jakarta
}

function render() {
  var d = state.data;
  if (!d) return;
  var o = d.overall;
  var serviceName = d.service
    ? i18n.t(
        (state.services.filter(function (s) {
          return s.code === d.service;
        })[0] || { name: d.service }).name
      )
    : i18n.t("all_services");
  $("paper-office").textContent = d.office || $("paper-office").textContent;
  $("paper-period").textContent = dateText(d.from) + " – " + dateText(d.to);
  $("paper-service").textContent = serviceName;
  $("ikm-value").textContent = fixed(o.ikm, 2);
  $("ikm-regulation").textContent = fixed(o.ikm_regulation, 2);
  $("grade-value").textContent = o.grade || "–";
  $("grade-label").textContent = o.label ? i18n.t(o.label) : "";
  $("grade-box").setAttribute("data-grade", o.grade || "");
  $("responses-value").textContent = String(o.responses);
  $("no-responses").hidden = o.responses > 0;
  var minShown = d.min_responses_shown || 3;
  $("few-responses").hidden = !o.hidden;
  $("few-responses").textContent = i18n.fmt("few_responses", { n: minShown });

  var rows = clear($("element-rows"));
  d.elements.forEach(function (el, i) {
    var counts = o.distribution ? o.distribution[el.key] : [0, 0, 0, 0];
    var total = o.responses || 1;
    rows.appendChild(
      h(
        "tr",
        { "data-element": el.key },
        h("td", null, String(i + 1)),
        h("td", null, i18n.t(el.label)),
        h("td", { class: "num-col", "data-nrr": "" }, o.nrr ? fixed(o.nrr[el.key], 2) : "–"),
        h("td", { class: "num-col" }, o.nrr_weighted ? fixed(o.nrr_weighted[el.key], 3) : "–"),
        counts.map(function (n) {
          return h("td", { class: "num-col" }, o.distribution ? String(n) : "–");
        }),
        h(
          "td",
          { class: "r-bar-col" },
          h(
            "div",
            { class: "r-bar", "aria-hidden": "true" },
            counts.map(function (n, k) {
              return n ? h("span", { class: "r-bar-" + (k + 1), style: "width:" + (100 * n) / total + "%" }) : null;
            })
          )
        )
      )
    );
  });

  var srows = clear($("service-rows"));
  d.services.forEach(function (s) {
    srows.appendChild(
      h(
        "tr",
        { "data-service": s.service, "data-hidden": s.hidden ? "true" : "false" },
        h("td", null, i18n.t(s.service_name)),
        h("td", { class: "num-col" }, String(s.responses)),
        h("td", { class: "num-col" }, fixed(s.ikm, 2)),
        h("td", { class: "num-col" }, fixed(s.ikm_regulation, 2)),
        h("td", null, s.hidden ? i18n.fmt("hidden_short", { n: minShown }) : s.grade + " · " + i18n.t(s.label))
      )
    );
  });
  if (!d.services.length) srows.appendChild(h("tr", null, h("td", { colspan: 5 }, i18n.t("no_responses"))));

  var tops = [100].concat(
    d.grades.map(function (g) {
      return g.from;
    })
  );
  $("legend-text").textContent = d.grades
    .map(function (g, i) {
      var top = i === 0 ? 100 : tops[i] - 0.01;
      return g.grade + " " + fixed(g.from, 2) + "–" + fixed(top, 2) + " " + i18n.t(g.label);
    })
    .join(" · ");

  var comments = clear($("comments"));
  (d.comments || []).forEach(function (c) {
    // only the words: no day or service that could point at one resident
    comments.appendChild(h("li", null, c.text));
  });
  $("comments-block").hidden = !(d.comments || []).length;
  $("sign-place-date").textContent = dateText(d.to);
}

function onLangChange() {
  renderServiceOptions(state.data ? state.data.service : null);
  render();
  if (state.data) {
    ["download-csv", "download-xlsx"].forEach(function (id) {
      $(id).href = $(id).href.replace(/lang=(id|en)/, "lang=" + i18n.lang);
    });
  }
}

S.start({
  noRole: "refused_no_role",
  showFirst: true,
  cls: "r",
  open: open,
  onLangChange: onLangChange,
});
