/* What the SOP editor's modules share. */

const initialCode = document.getElementById("sop-form").getAttribute("data-code") || null;

export const state = {
  code: initialCode, // null: a new service not saved yet
  meta: null,
  doc: null, // {code, source, sop, yaml} as last saved
  dirty: false,
  saving: false,
  savedAt: null,
  problems: [],
  tab: "form",
  codeTouched: false,
  changedElsewhere: false,
};
