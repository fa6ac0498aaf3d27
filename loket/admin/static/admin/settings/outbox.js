/* Messages to residents, on the settings page: each channel (WhatsApp gateway, SMS, e-mail) with its state,
 * today's count and cost against its daily cap, the messages waiting, the last success and failure; and
 * the cap's own form per channel, saved at once (not by the settings form's save bar).
 * Data: GET /api/admin/outbox, PUT /api/admin/outbox/caps/<name> (both answer the same state).
 */
import * as i18n from "loket/i18n.js";
import { $, h, clear } from "loket/dom.js";
import { api } from "loket/request.js";
import { handle } from "loket/shell.js";
import { hhmm, longDate } from "loket/time.js";

i18n.addStrings(i18n.pageStrings("admin/settings/outbox"));

const t = i18n.t;
let last = null;

function when(iso) {
  return iso ? longDate(iso) + " " + hhmm(iso) : "—";
}

function stateOf(c) {
  if (!c.configured) return ["off", t("channel_off")];
  if (c.failing_since) return ["down", i18n.fmt("channel_down_since", { time: when(c.failing_since) })];
  if (c.capped) return ["capped", t("channel_capped")];
  return ["ok", t("channel_ok")];
}

function numberInput(name, value, label) {
  return h(
    "label",
    { class: "a-cap-field" },
    h("span", {}, label),
    h("input", { type: "number", min: "0", step: "1", inputmode: "numeric", class: "a-number", name, value: value === null || value === undefined ? "" : String(value) })
  );
}

function capForm(c) {
  const form = h(
    "form",
    { class: "a-cap-form", "data-channel": c.name, novalidate: "" },
    numberInput("max_per_day", c.cap.max_per_day, t("cap_max_per_day")),
    numberInput("price_rupiah", c.cap.price_rupiah, t("cap_price")),
    numberInput("cap_rupiah", c.cap.cap_rupiah, t("cap_rupiah")),
    h("button", { type: "submit", class: "btn" }, t("cap_save"))
  );
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const body = {};
    ["max_per_day", "price_rupiah", "cap_rupiah"].forEach(function (name) {
      const raw = form.elements[name].value.trim();
      body[name] = raw === "" ? null : Number(raw);
    });
    api("PUT", "/api/admin/outbox/caps/" + encodeURIComponent(c.name), body)
      .then(function (data) {
        render(data);
        $("outbox-status").textContent = t("cap_saved");
      })
      .catch(function (err) {
        $("outbox-status").textContent = (err && err.message) || t("cap_failed");
        handle(err);
      });
  });
  return form;
}

function row(c) {
  const s = stateOf(c);
  const cap = c.cap || {};
  let today = String(c.today_count);
  if (cap.max_per_day !== null && cap.max_per_day !== undefined) today += " / " + cap.max_per_day;
  if (cap.price_rupiah) today += " · Rp " + c.today_cost_rupiah.toLocaleString("id-ID");
  if (cap.cap_rupiah !== null && cap.cap_rupiah !== undefined) today += " / Rp " + cap.cap_rupiah.toLocaleString("id-ID");
  return h(
    "tr",
    { "data-channel": c.name, "data-state": s[0] },
    h("th", { scope: "row" }, t("channel." + c.name)),
    h("td", { class: "a-channel-state" }, s[1]),
    h("td", { class: "a-channel-today" }, today),
    h("td", { class: "a-channel-queue" }, String(c.queue)),
    h(
      "td",
      { class: "a-channel-last" },
      h("div", {}, t("last_ok") + " " + when(c.last_success_at)),
      h("div", {}, t("last_failed") + " " + when(c.last_failure_at)),
      c.last_error ? h("div", { class: "a-muted" }, c.last_error) : null
    ),
    h("td", {}, capForm(c))
  );
}

/** The webhook subscriptions whose deliveries keep failing (the alert stands until one gets through again). */
function renderWebhookAlerts(subs) {
  const box = clear($("outbox-webhook-alerts"));
  const failing = subs.filter((s) => s.alerted_at);
  box.hidden = failing.length === 0;
  failing.forEach(function (s) {
    const line = s.late
      ? i18n.fmt("webhook_failing_late", { name: s.name, count: String(s.failures), time: when(s.oldest_waiting_at) })
      : i18n.fmt("webhook_failing", { name: s.name, count: String(s.failures), time: when(s.failing_since) });
    box.appendChild(
      h(
        "p",
        { "data-webhook": String(s.id) },
        line,
        s.last_error ? h("span", { class: "a-muted" }, " " + s.last_error) : null,
        " ",
        h("a", { href: "/admin/webhooks" }, t("webhook_open"))
      )
    );
  });
}

function render(data) {
  last = data;
  const rows = clear($("outbox-rows"));
  data.channels.forEach(function (c) {
    rows.appendChild(row(c));
  });
  renderWebhookAlerts(data.webhooks || []);
  const waiting = Object.keys(data.waiting_without_channel || {});
  const note = $("outbox-unrouted");
  note.hidden = waiting.length === 0;
  note.textContent = waiting
    .map(function (kind) {
      return i18n.fmt("unrouted", { kind: t("kind." + kind) || kind, count: String(data.waiting_without_channel[kind]) });
    })
    .join(" ");
}

/** Load the channels' state (after log-in), and again every 30 s while the page is open. */
export function loadOutbox() {
  return api("GET", "/api/admin/outbox").then(render);
}

setInterval(function () {
  if (last) loadOutbox().catch(function () {});
}, 30000);

i18n.onLangChange(function () {
  if (last) render(last);
});
