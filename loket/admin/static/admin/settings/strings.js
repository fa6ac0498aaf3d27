/* The settings page's texts in Indonesian and English ([data-i18n] keys in settings.html). */
import * as i18n from "loket/i18n.js";

i18n.addStrings(i18n.pageStrings("admin/settings/strings"));
