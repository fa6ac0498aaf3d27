"""Prefixes that sound alike when read out: the table, and the warnings against the catalog."""

from __future__ import annotations

from loket.core.catalog import Catalog
from loket.core.prefix_sound import CONFUSABLE, prefix_warnings, sounds_like, spoken
from loket.core.speech import LETTERS


def test_the_table_uses_the_letters_the_hall_hears():
    assert all(letter in LETTERS for group in CONFUSABLE for letter in group)
    assert {"D", "P", "T", "E", "G"} <= sounds_like("B")
    assert "I" in sounds_like("E") and "E" in sounds_like("I")
    assert sounds_like("M") == {"N"}
    assert sounds_like("s") == {"F", "X"}
    assert "B" not in sounds_like("M") and "B" not in sounds_like("B")
    assert spoken("X") == "eks" and spoken("q") == "ki"


def catalog_with(catalog, prefixes: dict[str, str]) -> Catalog:
    return Catalog(tuple(sop.model_copy(update={"prefix": prefixes.get(sop.code, sop.prefix)}) for sop in catalog))


def test_a_prefix_that_sounds_like_another_services_is_warned_of(catalog):
    first, second, *rest = list(catalog)
    others = {sop.code: "Z" for sop in rest}  # Z sounds like no other letter
    quiet = catalog_with(catalog, {first.code: "B", second.code: "M", **others})
    assert prefix_warnings(quiet, "B", first.code) == []
    loud = catalog_with(catalog, {first.code: "B", second.code: "D", **others})
    [warning] = prefix_warnings(loud, "b", first.code)
    assert warning["field"] == "prefix" and warning["other"]["code"] == second.code
    assert warning["other"]["spoken"] == "de"
    assert "be" in warning["message"] and "de" in warning["message"] and second.name.id in warning["message"]
    # its own letter is not a warning about itself; a new service (no code yet) is warned too
    assert prefix_warnings(loud, "D", second.code)[0]["other"]["code"] == first.code
    assert [w["other"]["code"] for w in prefix_warnings(loud, "T")] == [first.code, second.code]
