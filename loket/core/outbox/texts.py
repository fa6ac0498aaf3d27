"""The default text of each moment, Indonesian first and English; the admin's edits come in a later step.

Placeholders: {number} (the ticket), {service} (the SOP's name), {counter}, {reason}, {bring}, {hours},
{link} (the status page). No name or NIK is ever available here (UU 27/2022).
"""

from __future__ import annotations

#: moment -> {"id": text, "en": text}. The next step makes these editable per office (table settings).
DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "called": {
        "id": "Nomor antrean {number} dipanggil: silakan menuju {counter}. Status: {link}",
        "en": "Queue number {number} is called: please go to {counter}. Status: {link}",
    },
    "pending": {
        "id": "Berkas {number} ({service}) tertunda: {reason}. Yang perlu dibawa: {bring} Status: {link}",
        "en": "Your berkas {number} ({service}) is on hold: {reason}. What to bring: {bring} Status: {link}",
    },
    "ready": {
        "id": "Dokumen berkas {number} ({service}) sudah jadi. Silakan ambil pada jam pengambilan: {hours}. "
        "Status: {link}",
        "en": "The document of berkas {number} ({service}) is ready. Please collect it during pickup hours: "
        "{hours}. Status: {link}",
    },
    # core/disruptions.py: the office or the resident's service is disrupted; {reason}, {expected} (time back).
    "disruption": {
        "id": "Mohon maaf, layanan {service} sedang terganggu: {reason}. Perkiraan pulih {expected}. "
        "Nomor antrean {number} tetap berlaku. Status: {link}",
        "en": "We are sorry, the service {service} is disrupted: {reason}. Expected back {expected}. "
        "Your queue number {number} remains valid. Status: {link}",
    },
}

MOMENTS = tuple(DEFAULT_TEXTS)


def render(moment: str, values: dict[str, dict[str, str]]) -> dict[str, str]:
    """The moment's text in both languages, each placeholder filled with its value in that language."""
    return {
        lang: DEFAULT_TEXTS[moment][lang].format_map({k: v[lang] for k, v in values.items()}) for lang in ("id", "en")
    }
