/* The report page: a day or a period; figures, charts (Chart.js, served locally) and tables.
 * Data: GET /api/reports/summary?from=&to= (definitions in docs/reports.md). Prints on A4 landscape.
 */
import * as i18n from "loket/i18n.js";
import { clear, h, serverData } from "loket/dom.js";
import { api } from "loket/request.js";
import * as R from "./shell.js";
import { renderDisruptions } from "./disruptions.js";

var $ = function (id) {
  return document.getElementById(id);
};

var COLORS = {
  brand: "#0b3b6f",
  go: "#0a6b3d",
  warn: "#c77700",
  bad: "#a61b1b",
  soft: "rgba(11, 59, 111, 0.18)",
};

var STRINGS = i18n.pageStrings("reports/report");
i18n.addStrings(STRINGS);

// The tables' and charts' headings: the catalog's "col.<name>" texts, {id, en} each.
var C = i18n.stringFamily(STRINGS, "col.");

var state = { data: null, charts: [], today: null, print: false };

function officeToday() {
  var tz = document.body.getAttribute("data-timezone") || undefined;
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

function addDays(iso, n) {
  var d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function dmy(iso) {
  var p = iso.split("-");
  return p[2] + "-" + p[1] + "-" + p[0];
}

// At the hub (issue 16) a report is of one site or of every site together (no site: all).
function site() {
  var el = $("site");
  return el ? el.value : "";
}

function query(from, to) {
  var q = "from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to);
  return site() ? q + "&site=" + encodeURIComponent(site()) : q;
}

// ---- loading --------------------------------------------------------------------

function load(from, to, push) {
  var q = from ? "?" + query(from, to || from) : "";
  return api("GET", "/api/reports/summary" + q).then(function (data) {
    state.data = data;
    $("period-from").value = data.start;
    $("period-to").value = data.end;
    $("export-xlsx").href = "/api/reports/summary?" + query(data.start, data.end) + "&format=xlsx";
    $("export-csv").href = "/api/reports/summary?" + query(data.start, data.end) + "&format=csv";
    if (push) history.replaceState(null, "", "?" + query(data.start, data.end));
    if ($("site")) {
      var chosen = $("site").selectedOptions[0];
      $("print-site").textContent = chosen ? " · " + chosen.textContent : "";
    }
    render();
  });
}

function open(me) {
  state.me = me;
  state.today = officeToday();
  var params = new URLSearchParams(window.location.search);
  var from = params.get("day") || params.get("from");
  var to = params.get("day") || params.get("to");
  if ($("site") && params.get("site")) $("site").value = params.get("site");
  return load(from, to, false);
}

if ($("site")) {
  $("site").addEventListener("change", function () {
    load($("period-from").value, $("period-to").value, true).catch(R.fail);
  });
}

$("period-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  load($("period-from").value, $("period-to").value, true).catch(R.fail);
});

document.querySelectorAll("[data-quick]").forEach(function (btn) {
  btn.addEventListener("click", function () {
    var today = state.today || officeToday();
    var which = btn.getAttribute("data-quick");
    var from = which === "today" ? today : which === "week" ? addDays(today, -6) : today.slice(0, 8) + "01";
    load(from, today, true).catch(R.fail);
  });
});

$("print").addEventListener("click", function () {
  window.print();
});

// Charts are drawn for the screen: on paper they get their own size (see .r-printing in the CSS),
// smaller type and a sharper bitmap. beforeprint comes before the print layout, so the class lays the
// report out at the paper's width first; matchMedia("print") covers print emulation and late layouts.
function setPrinting(on) {
  if (state.print === on) return;
  state.print = on;
  document.body.classList.toggle("r-printing", on);
  if (state.data) renderCharts(state.data);
}
var printMedia = window.matchMedia ? window.matchMedia("print") : null;
if (printMedia) {
  var onMedia = function (ev) {
    setPrinting(ev.matches);
  };
  if (printMedia.addEventListener) printMedia.addEventListener("change", onMedia);
  else if (printMedia.addListener) printMedia.addListener(onMedia);
}
window.addEventListener("beforeprint", function () {
  setPrinting(true);
});
window.addEventListener("afterprint", function () {
  setPrinting(!!(printMedia && printMedia.matches));
});

// ---- rendering ------------------------------------------------------------------

function render() {
  var d = state.data;
  if (!d) return;
  var period = d.start === d.end ? i18n.fmt("period_one", { a: dmy(d.start) }) : i18n.fmt("period_range", { a: dmy(d.start), b: dmy(d.end) });
  $("period-text").textContent = period;
  $("print-period").textContent = period;
  $("print-office").textContent = d.office;
  renderKpis(d);
  renderBottleneck(d);
  renderBooking(d);
  renderCharts(d);
  renderServices(d);
  renderSteps(d);
  renderPeople($("table-officers"), d.officers, C.officer);
  renderPeople($("table-counters"), d.counters, C.counter);
  $("section-days").hidden = d.days.length < 2;
  renderDays(d);
  renderDisruptions(d.disruptions || []);
  renderSign();
}

/** The head of office's role, rendered by the page's route (reports/routes.py). */
var HEAD_ROLE = serverData("report-config", { head_role: null }).head_role;

/** Signatures: the one who prints ("Dibuat oleh", their name and role) and the head of office
 * ("Mengetahui, Kepala Dinas", a line to sign on); when the head prints, one block: theirs. */
function renderSign() {
  var me = state.me;
  if (!me) return;
  var head = me.role === HEAD_ROLE;
  var role = (me.roles || []).filter(function (r) {
    return r.code === me.role;
  })[0];
  $("sign-made-label").hidden = head;
  $("sign-role").textContent = head ? i18n.t("sign_head") : role ? i18n.t(role.label) : "";
  $("sign-name").textContent = me.user.full_name;
  $("sign-known").hidden = head;
  $("sign-box").classList.toggle("r-sign-one", head);
}

function tile(key, value, detail, kind) {
  return h(
    "div",
    { class: "r-kpi" + (kind ? " r-kpi-" + kind : ""), "data-kpi": key },
    h("p", { class: "r-kpi-label" }, i18n.t("kpi_" + key)),
    h("p", { class: "r-kpi-value num" }, value),
    detail ? h("p", { class: "r-kpi-detail num" }, detail) : null
  );
}

function complianceKind(share) {
  if (!share || share.ratio === null) return null;
  return share.ratio >= 0.9 ? "ok" : share.ratio >= 0.7 ? "warn" : "bad";
}

function renderKpis(d) {
  var t = d.total;
  var box = clear($("kpis"));
  box.appendChild(tile("issued", R.num(t.issued)));
  box.appendChild(tile("served", R.num(t.served)));
  box.appendChild(tile("no_shows", R.num(t.no_shows)));
  box.appendChild(tile("returns", R.num(t.returns)));
  box.appendChild(tile("pendings", R.num(t.pendings_total)));
  box.appendChild(
    tile("wait", R.minutes(t.wait.mean) + " " + i18n.t("minutes_short"), i18n.fmt("kpi_median_p90", { m: R.minutes(t.wait.median), p: R.minutes(t.wait.p90) }))
  );
  box.appendChild(
    tile(
      "service",
      R.minutes(t.service.mean) + " " + i18n.t("minutes_short"),
      i18n.fmt("kpi_median_p90", { m: R.minutes(t.service.median), p: R.minutes(t.service.p90) })
    )
  );
  box.appendChild(tile("steps", R.percent(t.steps), i18n.fmt("kpi_of", { a: t.steps.within, b: t.steps.total }), complianceKind(t.steps)));
  box.appendChild(tile("berkas", R.percent(t.berkas), i18n.fmt("kpi_of", { a: t.berkas.within, b: t.berkas.total }), complianceKind(t.berkas)));
}

function stepName(row) {
  return i18n.t(row.service_name) + " · " + i18n.fmt("step_n", { n: row.step }) + " (" + i18n.t(row.role_label) + ")";
}

function renderBottleneck(d) {
  var node = $("bottleneck");
  if (!d.total.issued) {
    node.textContent = i18n.t("empty");
    node.className = "r-bottleneck";
    return;
  }
  var b = d.bottleneck;
  node.className = "r-bottleneck" + (b ? " r-bottleneck-on" : "");
  node.textContent = b
    ? i18n.fmt("bottleneck", { step: stepName(b), over: R.minutes(b.over), target: b.target_minutes, share: R.percent(b.steps) })
    : i18n.t("no_bottleneck");
}

// ---- charts ---------------------------------------------------------------------

/** A long label as lines of at most `width` characters (Chart.js draws an array as lines). */
function wrap(text, width) {
  var lines = [];
  var line = "";
  text.split(" ").forEach(function (word) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? line + " " + word : word;
    }
  });
  if (line) lines.push(line);
  return lines;
}

/** A label of at most two wrapped lines; what does not fit ends in "…" (the tooltip has it whole). */
function shortLabel(text, width) {
  var lines = wrap(text, width);
  if (lines.length <= 2) return lines;
  var second = lines.slice(1).join(" ");
  return [lines[0], second.slice(0, width - 1).replace(/\s+\S*$/, "") + "…"];
}

function renderCharts(d) {
  state.charts.forEach(function (c) {
    c.destroy();
  });
  state.charts = [];
  // The compliance chart grows with the services: a row of bars for each, never squeezed.
  var many = d.services.length > 3;
  var box = $("chart-compliance").parentNode;
  box.style.setProperty("--bars", String(Math.max(1, d.services.length)));
  box.closest(".r-chart").classList.toggle("r-chart-wide", many);
  box.closest(".r-charts").classList.toggle("r-charts-wide", many);
  if (typeof window.Chart !== "function") return;
  var Chart = window.Chart;
  var print = state.print;
  Chart.defaults.font.size = print ? 10 : 15;
  Chart.defaults.color = "#0f1b2d";
  var base = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    devicePixelRatio: print ? 3 : window.devicePixelRatio || 1,
    plugins: { legend: { position: "bottom", labels: { boxWidth: print ? 10 : 40 } } },
  };
  document.querySelector('[data-i18n="chart_queue"]').textContent = i18n.t(d.start === d.end ? "chart_queue" : "chart_queue_range");

  state.charts.push(
    new Chart($("chart-queue"), {
      type: "line",
      data: {
        labels: d.queue.map(function (q) {
          return q.time;
        }),
        datasets: [
          {
            label: i18n.t("series_waiting"),
            data: d.queue.map(function (q) {
              return q.waiting;
            }),
            borderColor: COLORS.brand,
            backgroundColor: COLORS.soft,
            fill: true,
            tension: 0,
            pointRadius: 3,
          },
          {
            // the most waiting at any moment of the quarter hour: a burst between samples shows here
            label: i18n.t("series_peak"),
            data: d.queue.map(function (q) {
              return q.peak;
            }),
            borderColor: "#c0392b",
            borderDash: [6, 4],
            fill: false,
            tension: 0,
            pointRadius: 2,
            stepped: "before",
          },
        ],
      },
      options: Object.assign({}, base, {
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      }),
    })
  );

  var mins = function (s) {
    return s === null || s === undefined ? null : Math.round((s / 60) * 10) / 10;
  };
  state.charts.push(
    new Chart($("chart-hours"), {
      type: "bar",
      data: {
        labels: d.hours.map(function (r) {
          return r.key;
        }),
        datasets: [
          {
            label: i18n.t("series_mean"),
            data: d.hours.map(function (r) {
              return mins(r.wait.mean);
            }),
            backgroundColor: COLORS.brand,
          },
          {
            label: i18n.t("series_p90"),
            data: d.hours.map(function (r) {
              return mins(r.wait.p90);
            }),
            backgroundColor: COLORS.warn,
          },
        ],
      },
      options: Object.assign({}, base, { scales: { y: { beginAtZero: true } } }),
    })
  );

  var pct = function (share) {
    return share.ratio === null ? null : Math.round(share.ratio * 1000) / 10;
  };
  var names = d.services.map(function (r) {
    return i18n.t(r.label);
  });
  var labelWidth = many && !print ? 34 : 22;
  state.charts.push(
    new Chart($("chart-compliance"), {
      type: "bar",
      data: {
        labels: names.map(function (name) {
          return shortLabel(name, labelWidth);
        }),
        datasets: [
          {
            label: i18n.t("series_steps"),
            data: d.services.map(function (r) {
              return pct(r.steps);
            }),
            backgroundColor: COLORS.go,
          },
          {
            label: i18n.t("series_berkas"),
            data: d.services.map(function (r) {
              return pct(r.berkas);
            }),
            backgroundColor: COLORS.brand,
          },
        ],
      },
      options: Object.assign({}, base, {
        indexAxis: "y",
        scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false } } },
        plugins: {
          legend: base.plugins.legend,
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? names[items[0].dataIndex] : "";
              },
            },
          },
        },
      }),
    })
  );
  if (d.booking && hasBooking(d.booking)) renderBookingCharts(d.booking, base, Chart, labelWidth);
}

/** Tickets from bookings against walk-ins per service (counts), and the online seats booked and attended by hour (%). */
function renderBookingCharts(b, base, Chart, labelWidth) {
  var rows = b.services.filter(function (r) {
    return r.tickets.issued;
  });
  var names = rows.map(function (r) {
    return i18n.t(r.label);
  });
  $("chart-sources").parentNode.style.setProperty("--bars", String(Math.max(1, rows.length)));
  state.charts.push(
    new Chart($("chart-sources"), {
      type: "bar",
      data: {
        labels: names.map(function (name) {
          return shortLabel(name, labelWidth);
        }),
        datasets: [
          {
            label: i18n.t("series_from_booking"),
            data: rows.map(function (r) {
              return r.tickets.booked;
            }),
            backgroundColor: COLORS.brand,
          },
          {
            label: i18n.t("series_walk_in"),
            data: rows.map(function (r) {
              return r.tickets.walk_in;
            }),
            backgroundColor: COLORS.warn,
          },
        ],
      },
      options: Object.assign({}, base, {
        indexAxis: "y",
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { autoSkip: false } } },
        plugins: {
          legend: base.plugins.legend,
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? names[items[0].dataIndex] : "";
              },
            },
          },
        },
      }),
    })
  );
  var pct = function (share) {
    return share.ratio === null ? null : Math.round(share.ratio * 1000) / 10;
  };
  state.charts.push(
    new Chart($("chart-slots"), {
      type: "bar",
      data: {
        labels: b.total.hours.map(function (h) {
          return h.label;
        }),
        datasets: [
          {
            label: i18n.t("series_seats_booked"),
            data: b.total.hours.map(function (h) {
              return pct(h.booked_ratio);
            }),
            backgroundColor: COLORS.brand,
          },
          {
            label: i18n.t("series_seats_attended"),
            data: b.total.hours.map(function (h) {
              return pct(h.attended_ratio);
            }),
            backgroundColor: COLORS.go,
          },
        ],
      },
      options: Object.assign({}, base, { scales: { y: { min: 0, max: 100 } } }),
    })
  );
}

// ---- tables -----------------------------------------------------------------------

function head(table, cols) {
  clear(table);
  table.appendChild(
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        cols.map(function (c) {
          return h("th", { scope: "col" }, i18n.t(c));
        })
      )
    )
  );
  var body = h("tbody");
  table.appendChild(body);
  return body;
}

/** mean · median · p90; on narrow paper it wraps between the figures, never inside one. */
function three(stats) {
  return h(
    "span",
    { class: "r-three" },
    h("span", null, R.minutes(stats.mean)),
    " · ",
    h("span", null, R.minutes(stats.median)),
    " · ",
    h("span", null, R.minutes(stats.p90))
  );
}

function mismatchText(r) {
  return i18n.fmt("mismatch", { sop: r.sop_target_minutes, sum: r.target_minutes });
}

function isMismatch(r) {
  var t = r.target_minutes;
  var sop = r.sop_target_minutes;
  return r.key !== "all" && sop !== null && sop !== undefined && (!!r.total_mismatch || (t !== null && t !== undefined && t !== sop));
}

/** The target the berkas were judged against (the sum of the step targets) and, when it differs, the SOP's own total. */
function targetCell(r) {
  var t = r.target_minutes;
  if (r.key === "all") return td("–");
  var shown = t === null || t === undefined ? "–" : String(t);
  if (!isMismatch(r)) return td(shown, "num r-target");
  var why = mismatchText(r);
  return h(
    "td",
    { class: "num r-target", "data-mismatch": "true", title: why },
    shown,
    " ",
    h("span", { class: "r-mismatch", title: why, "aria-label": why }, "≠ " + r.sop_target_minutes)
  );
}

function pendings(row) {
  var labels = state.data.pending_labels;
  var parts = Object.keys(row.pendings)
    .filter(function (k) {
      return row.pendings[k];
    })
    .map(function (k) {
      return i18n.t(labels[k]) + ": " + row.pendings[k];
    });
  return h("span", { title: parts.join(", ") }, String(row.pendings_total), parts.length ? h("small", null, " (" + parts.join(", ") + ")") : null);
}

function shareCell(share) {
  var kind = complianceKind(share);
  return h("td", { class: "num" + (kind ? " r-" + kind : "") }, R.percent(share), share.total ? h("small", null, " " + share.within + "/" + share.total) : null);
}

function td(text, cls) {
  return h("td", { class: cls || "num" }, text);
}

function renderServices(d) {
  var body = head($("table-services"), [
    C.service,
    C.issued,
    C.served,
    C.no_shows,
    C.returns,
    C.pendings,
    C.wait,
    C.svc,
    C.elapsed,
    C.steps,
    C.sop_target,
    C.berkas,
    C.neck,
  ]);
  var rows = d.services.concat(d.services.length > 1 ? [d.total] : []);
  var legend = clear($("services-legend"));
  var odd = d.services.filter(isMismatch);
  legend.hidden = !odd.length;
  if (odd.length) {
    legend.appendChild(h("span", null, i18n.t("mismatch_legend")));
    odd.forEach(function (r) {
      legend.appendChild(h("span", { class: "r-legend-item" }, " " + i18n.t(r.label) + ": " + mismatchText(r) + "."));
    });
  }
  if (!d.services.length) {
    body.appendChild(h("tr", null, h("td", { colspan: 13 }, i18n.t("empty"))));
    return;
  }
  rows.forEach(function (r) {
    body.appendChild(
      h(
        "tr",
        { class: r.key === "all" ? "r-total" : null, "data-service": r.key },
        td(r.key === "all" ? i18n.t("all_services") : i18n.t(r.label), "r-name"),
        td(R.num(r.issued)),
        td(R.num(r.served)),
        td(R.num(r.no_shows)),
        td(R.num(r.returns)),
        td(pendings(r)),
        td(three(r.wait)),
        td(three(r.service)),
        td(R.minutes(r.elapsed.median)),
        shareCell(r.steps),
        targetCell(r),
        shareCell(r.berkas),
        td(r.bottleneck_step ? i18n.fmt("step_n", { n: r.bottleneck_step }) : "–")
      )
    );
  });
}

function renderSteps(d) {
  var body = head($("table-steps"), [C.service, C.step, C.role, C.target, C.visits, C.finished, C.step_wait, C.svc, C.time_bar, C.steps, C.over]);
  var neck = d.bottleneck ? d.bottleneck.key : null;
  var longest = 1;
  d.steps.forEach(function (r) {
    longest = Math.max(longest, (r.step_wait.mean || 0) + (r.service.mean || 0));
  });
  d.steps.forEach(function (r) {
    var wait = r.step_wait.mean || 0;
    var svc = r.service.mean || 0;
    body.appendChild(
      h(
        "tr",
        { class: r.key === neck ? "r-neck" : null, "data-step": r.key },
        td(i18n.t(r.service_name), "r-name"),
        td(String(r.step)),
        td(i18n.t(r.role_label), ""),
        td(r.target_minutes === null || r.target_minutes === undefined ? "–" : String(r.target_minutes), "num r-target"),
        td(R.num(r.visits)),
        td(R.num(r.finished)),
        td(three(r.step_wait)),
        td(three(r.service)),
        h(
          "td",
          { class: "r-barcell", title: R.minutes(wait) + " | " + R.minutes(svc) },
          h(
            "span",
            { class: "r-bar" },
            h("span", { class: "r-bar-wait", style: "width:" + (100 * wait) / longest + "%" }),
            h("span", { class: "r-bar-service", style: "width:" + (100 * svc) / longest + "%" })
          )
        ),
        shareCell(r.steps),
        td(r.over === null ? "–" : R.minutes(r.over), "num" + (r.over > 0 ? " r-bad" : ""))
      )
    );
  });
  if (!d.steps.length) body.appendChild(h("tr", null, h("td", { colspan: 11 }, i18n.t("empty"))));
}

function renderPeople(table, rows, nameCol) {
  var body = head(table, [nameCol, C.calls, C.started, C.finished, C.handed, C.no_shows, C.returns, C.pendings, C.step_wait, C.svc, C.steps]);
  rows.forEach(function (r) {
    body.appendChild(
      h(
        "tr",
        { "data-key": r.key },
        td(i18n.t(r.label), "r-name"),
        td(R.num(r.calls)),
        td(R.num(r.started)),
        td(R.num(r.finished)),
        td(R.num(r.handed_over)),
        td(R.num(r.no_shows)),
        td(R.num(r.returns)),
        td(pendings(r)),
        td(three(r.step_wait)),
        td(three(r.service)),
        shareCell(r.steps)
      )
    );
  });
  if (!rows.length) body.appendChild(h("tr", null, h("td", { colspan: 11 }, i18n.t("empty"))));
}

function renderDays(d) {
  var body = head($("table-days"), [C.date, C.issued, C.served, C.no_shows, C.returns, C.pendings, C.wait, C.svc, C.steps, C.berkas]);
  d.days.forEach(function (r) {
    body.appendChild(
      h(
        "tr",
        null,
        td(dmy(r.key), "r-name"),
        td(R.num(r.issued)),
        td(R.num(r.served)),
        td(R.num(r.no_shows)),
        td(R.num(r.returns)),
        td(pendings(r)),
        td(three(r.wait)),
        td(three(r.service)),
        shareCell(r.steps),
        shareCell(r.berkas)
      )
    );
  });
}

// ---- online booking ---------------------------------------------------------------

function hasBooking(b) {
  return b.total.made > 0 || b.total.seats.capacity > 0 || b.total.tickets.booked > 0;
}

function renderBooking(d) {
  var b = d.booking;
  var on = !!b && hasBooking(b);
  $("booking-empty").hidden = on;
  $("booking-kpis").hidden = !on;
  $("booking-charts").hidden = !on;
  var kpis = clear($("booking-kpis"));
  var body = head($("table-booking"), [C.service, C.b_made, C.b_cancelled, C.b_checked_in, C.b_no_show, C.b_booked, C.b_rate, C.b_from_booking, C.b_walk_in, C.b_capacity, C.b_seats_booked, C.b_seats_attended]);
  var hoursBody = head($("table-booking-hours"), [C.service, C.b_hour, C.b_capacity, C.b_seats_booked, C.b_seats_attended, C.b_no_show]);
  if (!on) return;
  var t = b.total;
  var tk = t.tickets;
  var seats = t.seats;
  kpis.appendChild(tile("b_made", R.num(t.made), i18n.fmt("bkpi_cancelled", { n: R.num(t.cancelled) })));
  kpis.appendChild(tile("b_checked_in", R.num(t.checked_in), i18n.fmt("bkpi_still", { n: R.num(t.booked) })));
  kpis.appendChild(
    tile("b_no_show_rate", R.percent(t.no_show_rate), i18n.fmt("bkpi_no_show_of", { a: t.no_show, b: t.no_show_rate.total }), rateKind(t.no_show_rate))
  );
  kpis.appendChild(tile("b_from_booking", R.percent(tk.booked_share), i18n.fmt("kpi_of", { a: tk.booked, b: tk.issued })));
  kpis.appendChild(tile("b_seats_booked", R.percent(seats.booked_ratio), i18n.fmt("kpi_of", { a: seats.booked, b: seats.capacity })));
  kpis.appendChild(tile("b_seats_attended", R.percent(seats.attended_ratio), i18n.fmt("kpi_of", { a: seats.attended, b: seats.capacity })));
  var rows = b.services.concat(b.services.length > 1 ? [t] : []);
  rows.forEach(function (r) {
    var total = r.key === "all";
    body.appendChild(
      h(
        "tr",
        { class: total ? "r-total" : null, "data-booking-service": r.key },
        td(total ? i18n.t("all_services") : i18n.t(r.label), "r-name"),
        td(R.num(r.made)),
        td(R.num(r.cancelled)),
        td(R.num(r.checked_in)),
        td(R.num(r.no_show)),
        td(R.num(r.booked)),
        ratioCell(r.no_show_rate, rateKind(r.no_show_rate)),
        ratioCell(r.tickets.booked_share),
        ratioCell(r.tickets.walk_in_share),
        td(R.num(r.seats.capacity)),
        ratioCell(r.seats.booked_ratio),
        ratioCell(r.seats.attended_ratio)
      )
    );
  });
  // Per service and hour: the service named on its first hour only; all services only when several had seats.
  var withHours = b.services.filter(function (r) {
    return r.hours.length;
  });
  withHours.concat(withHours.length > 1 ? [t] : []).forEach(function (r) {
    var total = r.key === "all";
    r.hours.forEach(function (hr, i) {
      hoursBody.appendChild(
        h(
          "tr",
          { class: (total ? "r-total" : "") + (i === 0 ? " r-group-start" : "") || null, "data-slot-hour": r.key + "@" + hr.label },
          td(i > 0 ? "" : total ? i18n.t("all_services") : i18n.t(r.label), "r-name"),
          td(hr.label, "num"),
          td(R.num(hr.capacity) + (hr.from_rules ? " (" + i18n.fmt("b_from_rules", { n: hr.from_rules }) + ")" : "")),
          ratioCell(hr.booked_ratio),
          ratioCell(hr.attended_ratio),
          td(R.num(hr.no_show))
        )
      );
    });
  });
}

/** A no-show rate: high is bad. */
function rateKind(share) {
  if (!share || share.ratio === null) return null;
  return share.ratio <= 0.1 ? "ok" : share.ratio <= 0.3 ? "warn" : "bad";
}

/** A share as "40% 2/5". */
function ratioCell(share, kind) {
  return h("td", { class: "num" + (kind ? " r-" + kind : "") }, R.percent(share), share.total ? h("small", null, " " + share.within + "/" + share.total) : null);
}

R.start({
  open: open,
  close: function () {},
  onLangChange: render,
});
