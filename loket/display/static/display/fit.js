/* Texts and lists that fit their boxes: long counter and office names shrink, lists drop what overflows. */
import { $ } from "./state.js";

/** Drop the last items of a list while its panel overflows; returns how many were dropped. */
export function fit(panel, list, onDrop) {
  var dropped = 0;
  while (list.lastChild && panel.scrollHeight > panel.clientHeight + 1) {
    list.removeChild(list.lastChild);
    dropped += 1;
    if (onDrop) onDrop(dropped);
  }
  return dropped;
}

/** Shrink a one-line text (from its CSS size) until it fits its box: long counter names stay whole. */
export function fitText(el) {
  el.style.fontSize = "";
  if (!el.clientWidth) return;
  var max = parseFloat(window.getComputedStyle(el).fontSize);
  var size = max;
  while (size > max * 0.35 && el.scrollWidth > el.clientWidth) {
    size -= 4;
    el.style.fontSize = size + "px";
  }
}

/** Shrink a wrapping text (from its CSS size) until it fits: its own line clamp, and the box it sits in. */
export function fitLines(el, box, smallest) {
  el.style.fontSize = "";
  if (!el.clientWidth) return;
  box = box || el;
  var max = parseFloat(window.getComputedStyle(el).fontSize);
  var min = smallest || max * 0.4;
  var size = max;
  var over = function () {
    return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  };
  while (size > min && over()) {
    size -= 2;
    el.style.fontSize = size + "px";
  }
}

/** The office's name, however long: two lines in the header; in the welcome panel whole, or not at all. */
export function fitOffice() {
  fitLines($("office-name"), null, 22);
  var office = $("media-office");
  var placeholder = $("media-placeholder");
  office.hidden = false;
  fitLines(office, placeholder, 20);
  // too little room left beside the earlier calls: the name leaves the welcome panel rather than show in part
  office.hidden = office.scrollHeight > office.clientHeight + 1 || placeholder.scrollHeight > placeholder.clientHeight + 1;
}
