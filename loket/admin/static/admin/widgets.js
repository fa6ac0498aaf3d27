/* Small pieces the admin pages build their tables and forms from. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { hhmm, longDate } from "loket/time.js";

/** A row of table head cells from string keys. */
export function tableHead(row, keys) {
  clear(row);
  keys.forEach(function (k) {
    row.appendChild(h("th", { scope: "col", class: k === "" ? "a-actions" : null }, k ? i18n.t(k) : ""));
  });
}

export function activePill(active) {
  return h("span", { class: "pill " + (active ? "pill-ok" : "pill-bad"), "data-active": active ? "true" : "false" }, i18n.t(active ? "active" : "inactive"));
}

// The service groups' names: the catalog's "group.<code>" texts of this module's scope.
const GROUP_LABELS = i18n.stringFamily(i18n.pageStrings("admin/widgets"), "group.");

export function groupLabel(code) {
  return GROUP_LABELS[code] ? i18n.t(GROUP_LABELS[code]) : code;
}

export function roleLabel(meta, code) {
  var r = (meta.roles || []).filter(function (x) {
    return x.code === code;
  })[0];
  return r ? i18n.t(r.label) : code;
}

/** Checkboxes for a list of {value, label}; `name` groups them. */
export function checkboxes(name, options, checked) {
  return h(
    "div",
    { class: "a-checks", role: "group" },
    options.map(function (o) {
      return h(
        "label",
        { class: "a-check a-check-box" },
        h("input", { type: "checkbox", name: name, value: o.value, checked: checked.indexOf(o.value) !== -1 }),
        h("span", null, o.label)
      );
    })
  );
}

export function checkedValues(root, name) {
  return Array.prototype.map.call(root.querySelectorAll('input[name="' + name + '"]:checked'), function (i) {
    return i.value;
  });
}

/** A labelled field box: data-field for problems, the label tied to the input. */
export function field(name, labelText, input, hint) {
  if (input && input.tagName && !input.id) input.id = "f-" + name.replace(/[^a-z0-9]+/gi, "-");
  return h(
    "div",
    { class: "a-field", "data-field": name },
    h("label", { for: input && input.id ? input.id : null }, labelText),
    input,
    hint ? h("p", { class: "a-hint" }, hint) : null
  );
}

export function dateTime(value) {
  if (!value) return "";
  var d = new Date(value);
  if (isNaN(d.getTime())) return String(value);
  return longDate(d) + " " + hhmm(d);
}
