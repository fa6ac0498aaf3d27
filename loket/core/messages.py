"""A message for people, marked for the gettext catalogs, without Flask.

The domain says what went wrong in Indonesian, the office's language, and marks the sentence
with `_()` so `pybabel extract` (`make i18n`) puts it into `loket/translations`:

    raise NotFound(_("Layanan '%(code)s' tidak ada.", code=code))

`_()` does not translate: it returns a `Message`, a `str` that reads as the Indonesian sentence (so
logs, the command line and tests read it as before) and keeps its msgid and its values. The web
layer (`loket/http.py`) looks the msgid up in the catalog of the request's language and fills in
the values. A value may itself be a `Message`, or a `{"id": ..., "en": ...}` label (a role's name),
and is then put in in the same language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LANGUAGE = "id"  # the language of a msgid


class Message(str):
    """An Indonesian sentence with its msgid and the values for its %(name)s placeholders."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None) -> Message:
        values = dict(params or {})
        self = super().__new__(
            cls, msgid % {k: in_language(v, LANGUAGE) for k, v in values.items()} if values else msgid
        )
        self.msgid = msgid
        self.params = values
        return self

    def localise(self, gettext: Callable[[str], str], lang: str) -> str:
        """This sentence in `lang`: `gettext` looks the msgid up in that language's catalog."""
        text = gettext(self.msgid)
        if not self.params:
            return text
        return text % {k: in_language(v, lang, gettext) for k, v in self.params.items()}

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.msgid, self.params))


def in_language(value: Any, lang: str, gettext: Callable[[str], str] | None = None) -> Any:
    """A placeholder's value in `lang`: a Message translated, an {id, en} label picked, else as it is."""
    if isinstance(value, Message):
        return value.localise(gettext, lang) if gettext else str(value)
    if isinstance(value, Mapping) and LANGUAGE in value:
        return value.get(lang) or value[LANGUAGE]
    return value


def _(msgid: str, /, **params: Any) -> Message:
    """Mark a message for the catalogs: msgid = the Indonesian text with %(name)s placeholders."""
    return Message(msgid, params)


#: The same marker under the name gettext tools know for "mark only".
N_ = _


TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@lru_cache(maxsize=1)
def _catalogs() -> dict[str, dict[str, str]]:
    """{lang: {msgid: text}} of the server's messages (no msgctxt), read once from the .po files."""
    out: dict[str, dict[str, str]] = {}
    for lang in ("id", "en"):
        with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalog = read_po(source, locale=lang)
        out[lang] = {str(m.id): str(m.string) for m in catalog if m.id and not m.context and m.string}
    return out


def texts(message: Message) -> dict[str, str]:
    """A marked text in both languages at once, {"id", "en"}, for what a page shows in either without asking
    again (a state's name, a survey element, a kiosk's refusal)."""
    catalogs = _catalogs()
    return {lang: message.localise(_lookup(catalogs[lang]), lang) for lang in ("id", "en")}


def _lookup(catalog: dict[str, str]) -> Callable[[str], str]:
    """gettext over one catalog: the translation, else the msgid itself."""

    def gettext(msgid: str) -> str:
        return catalog.get(msgid, msgid)

    return gettext
