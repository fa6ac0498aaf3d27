/* The SOP editor's texts in Indonesian and English ([data-i18n] keys in sop_edit.html and on built fields). */
import * as i18n from "loket/i18n.js";

i18n.addStrings(i18n.pageStrings("admin/sop_edit/strings"));
