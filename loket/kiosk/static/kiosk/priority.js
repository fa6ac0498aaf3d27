/* The priority choice on the detail screen: the regular queue, or one of the office's priorities. */
import * as i18n from "loket/i18n.js";
import { clear, h } from "loket/dom.js";
import { $, state } from "./state.js";
import { renderDetail } from "./detail.js";

export function renderPriorities() {
  var opts = clear($("priority-options"));
  [{ code: null, label: i18n.t("prio_none") }]
    .concat(
      state.priorities.map(function (p) {
        return { code: p.code, label: i18n.t(p.label) };
      })
    )
    .forEach(function (p) {
      opts.appendChild(
        h(
          "button",
          {
            type: "button",
            class: "k-prio" + (p.code ? "" : " k-prio-none"),
            "data-priority": p.code || "",
            "aria-pressed": state.priority === p.code ? "true" : "false",
            onclick: function () {
              state.priority = p.code;
              renderDetail();
            },
          },
          p.label
        )
      );
    });
}
