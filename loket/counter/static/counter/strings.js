/* The desk's texts in Indonesian and English (the page's string catalog; [data-i18n] keys in desk.html). */
import { addStrings, pageStrings } from "loket/i18n.js";

const strings = pageStrings("counter/strings");
addStrings(strings);

/** The catalog's texts whose key starts with `prefix`, by the rest of the key: {rest: {id, en}}. */
function family(prefix) {
  const out = {};
  Object.keys(strings).forEach((key) => {
    if (key.indexOf(prefix) === 0) out[key.slice(prefix.length)] = strings[key];
  });
  return out;
}

/** The prefix of a return's note in the history, in both languages: the missing documents, then the officer's words. */
export const MISSING = strings.missing;

/** Why a print failed (the `reason` of a print result or a printer alert). */
export const PRINT_REASONS = family("print_reason.");

/** How a visit of the history ended. */
export const OUTCOMES = family("outcome.");
