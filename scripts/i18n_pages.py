"""`make i18n`, between `pybabel extract` and `pybabel update`: keep the pages' strings.

The pages' strings (msgctxt = the page scope) are not in any Python source, so `pybabel extract`
does not find them and `pybabel update` would mark them obsolete. This adds every entry with a
context from the existing catalogs to the extracted template, so update keeps them as they are.

    python scripts/i18n_pages.py TEMPLATE.pot CATALOG.po [CATALOG.po ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(template: str, *catalogs: str) -> None:
    with open(template, "rb") as f:
        pot = read_po(f)
    added = 0
    for path in catalogs:
        with open(path, "rb") as f:
            po = read_po(f)
        for message in po:
            if message.context and message.id and pot.get(message.id, context=message.context) is None:
                pot.add(message.id, context=message.context, auto_comments=message.auto_comments)
                added += 1
    with open(template, "wb") as f:
        write_po(f, pot, width=120)
    print(f"{Path(template).name}: {len(pot)} messages ({added} page strings kept from the catalogs)")


if __name__ == "__main__":
    main(*sys.argv[1:])
