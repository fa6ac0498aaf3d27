/* Disruption mode (gangguan): the disruptions in force, for the kiosk, the board and the status pages.
 *
 * Read from GET /api/disruptions on load and on every (re)connect; then each "disruption.changed" event of the
 * page's Socket.IO connection carries the whole list (loket/realtime/publish.py). A page asks `watchDisruptions`
 * with its socket and draws with `renderBanner` (or its own drawing, through `onDisruptions`).
 */
import * as i18n from "./i18n.js";
import { clear, h } from "./dom.js";
import { hhmm } from "./time.js";

i18n.addStrings(i18n.pageStrings("js/disruption"));

/** The disruptions in force and the booking page's address (for "book another day"). */
export const disruptions = { list: [], bookingUrl: null, loaded: false };
const listeners = [];

function set(list) {
  disruptions.list = Array.isArray(list) ? list : [];
  disruptions.loaded = true;
  listeners.forEach((fn) => fn(disruptions.list));
}

/** Call `fn(list)` whenever the disruptions in force change (and once they are first read). */
export function onDisruptions(fn) {
  listeners.push(fn);
  if (disruptions.loaded) fn(disruptions.list);
}

export function loadDisruptions() {
  return fetch("/api/disruptions", { headers: { Accept: "application/json" }, cache: "no-store" })
    .then((r) => (r.ok ? r.json() : null))
    .then((data) => {
      if (!data) return;
      disruptions.bookingUrl = data.booking_url || null;
      set(data.disruptions);
    })
    .catch(() => {});
}

/** Read the disruptions now, and follow them on `socket` (a reconnect reads them again: it may have missed one). */
export function watchDisruptions(socket) {
  loadDisruptions();
  if (!socket) return;
  socket.on("disruption.changed", (payload) => set(payload && payload.disruptions));
  socket.on("connect", loadDisruptions);
}

/** The disruptions that stop a service: the office's and its own (all of them without a code). */
export function affecting(code) {
  return disruptions.list.filter((d) => d.scope === "office" || !code || d.service_code === code);
}

/** One sentence: what is disrupted, why, when it should be back. */
export function describe(d) {
  const what = d.scope === "office" ? i18n.t("disruption_office") : i18n.fmt("disruption_service", { service: i18n.t(d.service) });
  const back = d.expected_back ? i18n.fmt("disruption_back", { time: hhmm(d.expected_back) }) : i18n.t("disruption_back_unknown");
  return what + ": " + i18n.t(d.reason_label) + ". " + back;
}

/** Fill `el` with the disruptions of `list` (hidden when none): a heading, a line each and its note. */
export function renderBanner(el, list) {
  if (!el) return;
  clear(el);
  el.hidden = !list.length;
  el.setAttribute("data-disruptions", String(list.length));
  if (!list.length) return;
  el.appendChild(h("p", { class: "disruption-title" }, i18n.t("disruption_title")));
  list.forEach((d) => {
    el.appendChild(
      h(
        "p",
        { class: "disruption-line", "data-disruption": d.id, "data-scope": d.scope, "data-reason": d.reason },
        describe(d),
        d.note ? h("span", { class: "disruption-note" }, " " + d.note) : null
      )
    );
  });
}

/** A banner of its own at the top of the page, kept up to date: `filter` picks the disruptions it shows, `size`
 * its text size (the board is read from across the hall). With `after` (an element of the page) it sits right
 * below that element instead of first in the body: the board keeps its header (the office's name, the clock)
 * and its main area gives up the banner's height (a "resize" event tells the board to fit its lists again).
 * Styled here: the pages have their own stylesheets. */
export function bannerOnTop(filter, size, after) {
  let el = document.getElementById("disruption-banner");
  if (!el) {
    el = h("div", { id: "disruption-banner", class: "disruption-banner", role: "alert" });
    Object.assign(el.style, {
      position: "relative",
      zIndex: "50",
      flex: "none", // in a page laid out as a column (the board), it keeps its height; the rest shrinks
      background: "#b3261e",
      color: "#fff",
      padding: "0.6em 1em",
      fontSize: size || "1.1rem",
      lineHeight: "1.35",
      boxShadow: "0 2px 6px rgba(0,0,0,.25)",
    });
    if (after && after.parentNode) {
      Object.assign(el.style, { padding: "0.3em 1em", lineHeight: "1.25" });
      after.parentNode.insertBefore(el, after.nextSibling);
    } else {
      document.body.insertBefore(el, document.body.firstChild);
    }
  }
  el.hidden = true;
  let shown = "";
  const draw = () => {
    renderBanner(el, filter ? disruptions.list.filter(filter) : disruptions.list);
    el.style.display = el.hidden ? "none" : after ? "grid" : "block";
    const title = el.querySelector(".disruption-title");
    if (title) title.style.fontWeight = "700";
    el.querySelectorAll("p").forEach((p) => (p.style.margin = "0.1em 0"));
    if (title && after) {
      // a strip below the header: the title on the left, a line per disruption beside it
      const lines = el.querySelectorAll(".disruption-line");
      Object.assign(el.style, { gridTemplateColumns: "auto minmax(0, 1fr)", columnGap: "0.8em", alignItems: "start" });
      title.style.gridRow = "1 / span " + Math.max(1, lines.length);
      lines.forEach((line) => (line.style.gridColumn = "2"));
    }
    if (after) {
      const now = el.hidden ? "" : el.textContent;
      if (now !== shown) window.dispatchEvent(new Event("resize")); // the board's lists fit the space left
      shown = now;
    }
  };
  onDisruptions(draw);
  i18n.onLangChange(draw);
  return el;
}
