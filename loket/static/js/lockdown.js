/* Public screens in the hall (the kiosk, the survey tablet): no long-press menu, no dragging, no zoom,
   no text selection outside the fields. The kiosk adds its own locks on top (kiosk/lockdown.js). */

export function noMenusNoZoom() {
  var prevent = function (e) {
    e.preventDefault();
  };
  // Long-press menus, double-tap zoom and dragging pictures out.
  ["contextmenu", "dragstart", "drop", "gesturestart", "gesturechange", "dblclick"].forEach(function (type) {
    document.addEventListener(type, prevent);
  });
  // Text selection, except where the resident types.
  document.addEventListener("selectstart", function (e) {
    if (!e.target.closest || !e.target.closest("input, textarea")) e.preventDefault();
  });
  // Pinch zoom (CSS touch-action covers Chrome; this covers the rest) and ctrl+wheel zoom.
  document.addEventListener(
    "touchmove",
    function (e) {
      if (e.touches && e.touches.length > 1) e.preventDefault();
    },
    { passive: false }
  );
  document.addEventListener(
    "wheel",
    function (e) {
      if (e.ctrlKey) e.preventDefault();
    },
    { passive: false }
  );
}
