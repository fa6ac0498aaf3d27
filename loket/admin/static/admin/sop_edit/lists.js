/* Editing the form's lists: add, move up or down, remove a requirement, condition, step or duty. */
import { $ } from "loket/dom.js";
import { renumber } from "./form.js";
import { setDirty } from "./savebar.js";
import { requirementItem, conditionItem, stepItem, dutyItem } from "./items.js";

function changed() {
  renumber();
  setDirty(true);
}

$("sop-form").addEventListener("click", function (ev) {
  var btn = ev.target.closest("button");
  if (!btn) return;
  var act = btn.getAttribute("data-act");
  if (act) {
    var item = btn.closest(".a-item");
    var list = item.parentNode;
    if (act === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    if (act === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    if (act === "remove") {
      var next = item.nextElementSibling || item.previousElementSibling;
      list.removeChild(item);
      if (next) (next.querySelector("input, textarea, select") || next).focus();
    } else {
      btn.focus();
    }
    changed();
    return;
  }
  if (btn.classList.contains("a-add-duty")) {
    var duties = btn.parentNode.querySelector(".a-duties");
    var d = dutyItem();
    duties.appendChild(d);
    changed();
    d.querySelector("input").focus();
  }
});

function addTo(listId, item) {
  $(listId).appendChild(item);
  changed();
  item.scrollIntoView({ block: "nearest" });
  var first = item.querySelector("input:not([type=checkbox]), textarea, select");
  if (first) first.focus();
}

$("add-requirement").addEventListener("click", function () {
  addTo("requirements", requirementItem());
});
$("add-condition").addEventListener("click", function () {
  addTo("conditions", conditionItem());
});
$("add-step").addEventListener("click", function () {
  addTo("steps", stepItem());
});
