/* Messages at the top of a staff page: information fades after a few seconds, errors stay until closed. */
import { h, clear } from "./dom.js";
import { t, addStrings, pageStrings } from "./i18n.js";

addStrings(pageStrings("js/messages"));

/**
 * A message box in `box`; `cls` is the page's CSS class prefix ("a", "r", "c").
 * Returns say(text, kind) with kind "info" (default), "ok" or "error".
 */
export function messageBox(box, { cls, seconds }) {
  let timer = null;
  function say(text, kind) {
    clear(box);
    clearTimeout(timer);
    if (!text) return;
    const isError = kind === "error";
    box.appendChild(
      h(
        "div",
        {
          class: "alert " + cls + "-message " + (isError ? "" : kind === "ok" ? "alert-ok" : "alert-info"),
          role: isError ? "alert" : "status",
          "data-kind": kind || "info",
        },
        h("span", null, text),
        h(
          "button",
          { type: "button", class: "btn btn-quiet " + cls + "-message-close", "aria-label": t("close"), onclick: () => say("") },
          "×"
        )
      )
    );
    if (!isError) timer = setTimeout(() => say(""), seconds * 1000);
  }
  return say;
}
