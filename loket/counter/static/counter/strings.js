/* The desk's texts in Indonesian and English (the page's string catalog; [data-i18n] keys in desk.html). */
import { addStrings, pageStrings, stringFamily } from "loket/i18n.js";

const strings = pageStrings("counter/strings");
addStrings(strings);

/** The prefix of a return's note in the history, in both languages: the missing documents, then the officer's words. */
export const MISSING = strings.missing;

/** Why a print failed (the `reason` of a print result or a printer alert). */
export const PRINT_REASONS = stringFamily(strings, "print_reason.");

/** How a visit of the history ended. */
export const OUTCOMES = stringFamily(strings, "outcome.");
