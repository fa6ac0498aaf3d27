/* Messages to residents (issue 14): each moment on/off, its Indonesian and English text (empty: the default),
 * a preview with example values, "N orang lagi" and the kiosk's number pad. Saved on its own:
 * PUT /api/admin/settings {messages}; an unknown {placeholder} comes back as a problem in plain words.
 * Data: GET /api/admin/messages (moments, placeholders, defaults), POST /api/admin/messages/preview. */
import * as i18n from "loket/i18n.js";
import { $, clear, h } from "loket/dom.js";
import { api } from "loket/request.js";
import { say } from "loket/shell.js";

let moments = [];

/** Draw the section from the saved settings (called when the page opens). */
export function openMessages(settings) {
  return api("GET", "/api/admin/messages").then(function (data) {
    moments = data.moments;
    fill(settings.messages || {});
  });
}

function fill(saved) {
  $("m-offer-kiosk").checked = saved.offer_at_kiosk !== false;
  $("m-ahead-n").value = saved.ahead_n || 3;
  const box = clear($("m-moments"));
  moments.forEach(function (m) {
    const mine = (saved.moments || {})[m.moment] || {};
    const output = h("div", { class: "a-message-preview", "data-preview": m.moment, hidden: true });
    const text = (lang) => {
      const area = h("textarea", { id: "m-" + m.moment + "-" + lang, rows: 3, maxlength: 1000, placeholder: m.default[lang] });
      area.value = mine[lang] || ""; // a textarea's text is its value, not an attribute
      return area;
    };
    const idText = text("id");
    const enText = text("en");
    box.appendChild(
      h(
        "fieldset",
        { class: "a-message", "data-moment": m.moment },
        h(
          "legend",
          null,
          h("label", null, h("input", { type: "checkbox", id: "m-" + m.moment + "-on", checked: mine.enabled !== false }), " ", i18n.t(m.label))
        ),
        h("label", { for: idText.id }, "Bahasa Indonesia"),
        idText,
        h("label", { for: enText.id }, "English"),
        enText,
        h("p", { class: "a-hint" }, i18n.t("messages_placeholders") + " " + m.placeholders.map((p) => "{" + p + "}").join(" ")),
        h("button", { type: "button", class: "btn", "data-preview-button": m.moment, onclick: () => preview(m.moment, idText, enText, output) }, i18n.t("messages_preview")),
        output
      )
    );
  });
}

function preview(moment, idText, enText, output) {
  api("POST", "/api/admin/messages/preview", { moment: moment, id: idText.value, en: enText.value })
    .then(function (shown) {
      output.className = "a-message-preview";
      clear(output).appendChild(h("p", { lang: "id" }, shown.id));
      output.appendChild(h("p", { lang: "en" }, shown.en));
      output.hidden = false;
    })
    .catch(function (err) {
      output.className = "a-message-preview alert";
      clear(output).appendChild(h("p", null, err.message));
      output.hidden = false;
    });
}

function read() {
  const out = { offer_at_kiosk: $("m-offer-kiosk").checked, ahead_n: Number($("m-ahead-n").value) || 3, moments: {} };
  moments.forEach(function (m) {
    out.moments[m.moment] = {
      enabled: $("m-" + m.moment + "-on").checked,
      id: $("m-" + m.moment + "-id").value.trim() || null,
      en: $("m-" + m.moment + "-en").value.trim() || null,
    };
  });
  return out;
}

$("m-save").addEventListener("click", function () {
  $("m-problems").hidden = true;
  api("PUT", "/api/admin/settings", { messages: read() })
    .then(function (saved) {
      fill(saved.messages);
      say(i18n.t("messages_saved"), "ok");
    })
    .catch(function (err) {
      const problems = (err.data && err.data.problems) || [];
      $("m-problems").textContent = problems.length ? problems.map((p) => p.message).join(" ") : err.message;
      $("m-problems").hidden = false;
    });
});
