/* A screen nobody can leave by accident: no context menu, no dragging, no zoom; typing only in the fields. */

export function lockDown() {
  var prevent = function (e) {
    e.preventDefault();
  };
  ["contextmenu", "dragstart", "drop", "gesturestart", "gesturechange", "dblclick"].forEach(function (type) {
    document.addEventListener(type, prevent);
  });
  document.addEventListener("selectstart", function (e) {
    if (!e.target.closest || !e.target.closest("input, textarea")) e.preventDefault();
  });
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
