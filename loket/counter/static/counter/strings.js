/* The desk's texts in Indonesian and English (the page's string catalog; [data-i18n] keys in desk.html). */
import { addStrings, pageStrings } from "loket/i18n.js";

/** The prefix of a return's note in the history: the missing documents, then the officer's own words. */
export const MISSING = { id: "Dokumen kurang:", en: "Missing:" };

/** Why a print failed (the `reason` of a print result or a printer alert). */
export const PRINT_REASONS = {
  not_connected: { id: "printer tidak terhubung", en: "printer not connected" },
  offline: { id: "printer tidak merespons", en: "printer offline" },
  paper_out: { id: "kertas habis", en: "out of paper" },
  cover_open: { id: "tutup printer terbuka", en: "printer cover open" },
  interrupted: { id: "pencetakan terputus", en: "printing interrupted" },
};

/** How a visit of the history ended. */
export const OUTCOMES = {
  advanced: { id: "Diteruskan", en: "Passed on" },
  pended: { id: "Ditunda", en: "Put on hold" },
  returned: { id: "Dikembalikan", en: "Returned" },
  no_show: { id: "Tidak hadir", en: "Did not come" },
  cancelled: { id: "Dibatalkan", en: "Cancelled" },
  open: { id: "Berjalan", en: "In progress" },
  queued: { id: "Menunggu", en: "Waiting" },
  handed_over: { id: "Diserahkan", en: "Handed over" },
};

addStrings(pageStrings("counter/strings"));
