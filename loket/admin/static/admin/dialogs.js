/* Modal dialogs of the admin pages: a plain one, "are you sure?", and a form that saves through the API with
 * its problems shown next to its fields. */
import * as i18n from "loket/i18n.js";
import { h } from "loket/dom.js";
import { handle } from "loket/shell.js";
import { showProblems } from "./problems.js";

/** A modal dialog around `content` (a form): resolves when closed. */
export function dialog(opts) {
  var box = h(
    "dialog",
    { class: "a-dialog", id: opts.id || null, "aria-labelledby": (opts.id || "dlg") + "-title" },
    h(
      "div",
      { class: "a-dialog-head" },
      h("h2", { id: (opts.id || "dlg") + "-title" }, opts.title),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-quiet a-dialog-x",
          "aria-label": i18n.t("close"),
          onclick: function () {
            box.close();
          },
        },
        "×"
      )
    ),
    opts.content
  );
  document.body.appendChild(box);
  box.addEventListener("close", function () {
    if (box.parentNode) box.parentNode.removeChild(box);
    if (opts.onClose) opts.onClose();
  });
  box.showModal();
  var focus = box.querySelector("[autofocus]") || box.querySelector("input:not([type=checkbox]):not([readonly]), select, textarea");
  if (focus) focus.focus();
  return box;
}

/** A dialog's "Cancel": closes it (`close` is called when clicked, once the dialog exists). */
function cancelButton(close) {
  return h("button", { type: "button", class: "btn", onclick: close }, i18n.t("cancel"));
}

/** Ask before something that cannot be undone; resolves true when confirmed. */
export function confirmAction(opts) {
  return new Promise(function (resolve) {
    var answered = false;
    var box;
    var form = h(
      "form",
      {
        class: "a-dialog-body",
        method: "dialog",
        onsubmit: function (ev) {
          ev.preventDefault();
          answered = true;
          box.close();
          resolve(true);
        },
      },
      h("p", { class: "a-confirm-text" }, opts.text),
      opts.detail ? h("p", { class: "a-muted" }, opts.detail) : null,
      h(
        "div",
        { class: "a-dialog-actions" },
        cancelButton(function () {
          box.close();
        }),
        h("button", { type: "submit", class: "btn " + (opts.danger ? "btn-danger" : "btn-primary"), id: "confirm-yes", autofocus: true }, opts.confirm)
      )
    );
    box = dialog({
      id: "confirm",
      title: opts.title,
      content: form,
      onClose: function () {
        if (!answered) resolve(false);
      },
    });
  });
}

/**
 * A form in a dialog that saves through the API: problems (400) appear next to the dialog's fields,
 * anything else as a message. opts: {id, title, fields: [nodes], read() -> body, send(body) -> Promise,
 * done(result), saveLabel, label(field)}.
 */
export function editDialog(opts) {
  var problems = h("div", { class: "alert a-problems", role: "alert", hidden: true });
  var saveBtn = h("button", { type: "submit", class: "btn btn-primary", id: (opts.id || "edit") + "-save" }, opts.saveLabel || i18n.t("save"));
  var box;
  var form = h(
    "form",
    {
      class: "a-dialog-body a-form",
      novalidate: true,
      autocomplete: "off",
      onsubmit: function (ev) {
        ev.preventDefault();
        saveBtn.disabled = true;
        Promise.resolve()
          .then(function () {
            return opts.send(opts.read(form));
          })
          .then(function (result) {
            box.close();
            if (opts.done) opts.done(result);
          })
          .catch(function (err) {
            if (err && err.status === 400 && err.data && err.data.problems) {
              var first = showProblems(form, problems, err.data.problems, opts.label);
              if (first && first.focus) first.focus();
              return;
            }
            box.close();
            handle(err);
          })
          .then(function () {
            saveBtn.disabled = false;
          });
      },
    },
    problems,
    opts.fields,
    h(
      "div",
      { class: "a-dialog-actions" },
      cancelButton(function () {
        box.close();
      }),
      saveBtn
    )
  );
  form.addEventListener("input", function (ev) {
    var invalid = ev.target.closest('[data-invalid="true"]');
    if (invalid) invalid.removeAttribute("data-invalid");
  });
  box = dialog({ id: opts.id, title: opts.title, content: form });
  return box;
}
