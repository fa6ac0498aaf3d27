/* A kiosk nobody can leave: no text selection, no context menu, no zoom, no dragging, no way out to other pages. */

import { noMenusNoZoom } from "loket/lockdown.js";

export function lockDown() {
  noMenusNoZoom();
  // A keyboard left attached: no zoom, print, save, open, find or view-source.
  document.addEventListener("keydown", function (e) {
    var key = (e.key || "").toLowerCase();
    if ((e.ctrlKey || e.metaKey) && ["+", "-", "=", "0", "p", "s", "o", "u", "f", "g", "h", "j", "l", "n", "t"].indexOf(key) !== -1) {
      e.preventDefault();
    }
    if (key === "f1" || key === "f3" || key === "f7" || (e.altKey && (key === "arrowleft" || key === "arrowright"))) e.preventDefault();
  });
  // No link may lead out of the kiosk, whatever ends up on the page.
  document.addEventListener(
    "click",
    function (e) {
      var link = e.target && e.target.closest ? e.target.closest("a[href]") : null;
      if (link) e.preventDefault();
    },
    true
  );
  document.addEventListener(
    "auxclick",
    function (e) {
      e.preventDefault();
    },
    true
  );
  window.open = function () {
    return null;
  };
  // A back swipe or the Back key stays on the kiosk.
  try {
    window.history.pushState({ kiosk: true }, "", window.location.href);
    window.addEventListener("popstate", function () {
      window.history.pushState({ kiosk: true }, "", window.location.href);
    });
  } catch {
    /* no history API: nothing to trap */
  }
}
