"""The texts of the moments: their defaults, placeholders and the admin's edits live in loket.core.contact
(beside the office settings, which hold the edits); this module keeps the outbox's names for them.

Placeholders per moment: contact.PLACEHOLDERS. No name or NIK is ever available (UU 27/2022).
"""

from __future__ import annotations

from loket.core.contact import DEFAULT_TEXTS, MOMENTS, PLACEHOLDERS, check_text, preview, render

__all__ = ["DEFAULT_TEXTS", "MOMENTS", "PLACEHOLDERS", "check_text", "preview", "render"]
