/* In portrait the action bar covers the end of a long list of requirements (issue 15): while the end of the
 * detail is below the fold, an arrow and "Masih ada lagi di bawah" say there is more; a tap on
 * it scrolls down. It goes once the list's last line ("Itu semua yang perlu dibawa.") is in view. */
import { $ } from "./state.js";

function scroller() {
  var detail = document.querySelector("#screen-detail .k-detail");
  // Landscape gives the detail its own scroll area; portrait scrolls the page.
  return detail && detail.scrollHeight > detail.clientHeight + 1 && getComputedStyle(detail).overflowY !== "visible" ? detail : null;
}

export function updateScrollHint() {
  var hint = $("scroll-hint");
  if ($("screen-detail").hidden) {
    hint.hidden = true;
    return;
  }
  var end = $("detail-end").getBoundingClientRect();
  var bar = document.querySelector(".k-actionbar-detail").getBoundingClientRect();
  hint.hidden = end.bottom <= bar.top + 1;
  if (!hint.hidden) hint.style.bottom = Math.max(0, window.innerHeight - bar.top) + 12 + "px";
}

export function wireScrollHint() {
  $("scroll-hint").addEventListener("click", function () {
    var area = scroller();
    var by = Math.round(window.innerHeight * 0.5);
    if (area) area.scrollBy({ top: by, behavior: "smooth" });
    else window.scrollBy({ top: by, behavior: "smooth" });
  });
  window.addEventListener("scroll", updateScrollHint, { passive: true });
  window.addEventListener("resize", updateScrollHint);
  document.querySelector("#screen-detail .k-detail").addEventListener("scroll", updateScrollHint, { passive: true });
}
