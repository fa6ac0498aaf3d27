"""SOP uploads are bounded: a zip bomb, a zip of many files, a huge or explosive YAML text are refused early.

No test measures time: each counts what was inflated or parsed (a spy on the zip reader, the YAML
composer and the SOP validation), which an unbounded reader would make grow with the attack.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
import yaml

from loket.core import admin as ops
from loket.core import sop_documents
from loket.core.accounts import create_user
from loket.core.catalog import Sop
from loket.core.errors import InvalidInput
from loket.core.roles import Actor, Role

MB = 1024 * 1024


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


@pytest.fixture
def inflated(monkeypatch):
    """How many bytes were read out of zip members (inflated), in all."""
    total = {"bytes": 0}
    read = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = read(self, n)
        total["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return total


def zip_bomb(size: int = 200 * MB, name: str = "bom.yaml") -> bytes:
    """A real zip whose one member inflates to `size` bytes (a YAML comment of spaces), built in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w", force_zip64=True) as member:
        member.write(b"#")
        chunk = b" " * MB
        for _ in range(size // MB):
            member.write(chunk)
    return out.getvalue()


def lying_about_its_size(data: bytes, declared: int) -> bytes:
    """The zip with its member's uncompressed size in both headers (and zip64 extras) set to `declared`."""
    raw = bytearray(data)
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, local + 22, declared)
    struct.pack_into("<I", raw, central + 24, declared)
    for extra in (raw.find(b"\x01\x00", local + 30), raw.find(b"\x01\x00\x18\x00", central + 46)):
        if extra > 0 and raw[extra + 2] in (8, 16, 24):
            struct.pack_into("<Q", raw, extra + 4, declared)
    return bytes(raw)


def test_a_zip_bomb_is_refused_by_its_declared_size_before_anything_is_inflated(loket, admin, inflated):
    bomb = zip_bomb()
    assert len(bomb) < 1 * MB  # 200 MB inside
    with pytest.raises(InvalidInput) as err:
        ops.import_files(loket, admin, [("sop.zip", bomb)])
    assert err.value.problems == [{"field": "sop.zip/bom.yaml", "message": "Berkas terlalu besar."}]
    assert inflated["bytes"] == 0


def test_a_zip_bomb_that_lies_about_its_size_is_inflated_no_further_than_the_bound(loket, admin, inflated):
    bomb = lying_about_its_size(zip_bomb(20 * MB), 1000)
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert zf.infolist()[0].file_size == 1000  # the headers say it is small
    with pytest.raises(InvalidInput) as err:
        ops.import_files(loket, admin, [("sop.zip", bomb)])
    assert err.value.problems[0]["field"] == "sop.zip"
    assert inflated["bytes"] <= sop_documents.MAX_YAML_BYTES + 1


def test_a_zip_of_many_files_or_of_too_much_in_all_is_refused(loket, admin, inflated):
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(ops.MAX_IMPORT_FILES + 1):
            zf.writestr(f"s{i}.yaml", "code: x\n")
    with pytest.raises(InvalidInput) as err:
        ops.import_files(loket, admin, [("many.zip", many.getvalue())])
    assert err.value.problems[0]["field"] == "many.zip"
    assert inflated["bytes"] == 0

    heavy = io.BytesIO()
    each = sop_documents.MAX_YAML_BYTES - 10
    count = ops.MAX_ZIP_BYTES // each + 5
    with zipfile.ZipFile(heavy, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(count):
            zf.writestr(f"s{i}.yaml", "#" + " " * (each - 1))
    with pytest.raises(InvalidInput) as err:
        ops.import_files(loket, admin, [("heavy.zip", heavy.getvalue())])
    assert err.value.problems == [{"field": "heavy.zip", "message": "Isi zip terlalu besar."}]
    assert inflated["bytes"] <= ops.MAX_ZIP_BYTES + each


def test_a_file_name_that_is_not_a_plain_name_is_not_repeated(loket, admin):
    with pytest.raises(InvalidInput) as err:
        ops.import_files(loket, admin, [("../<b>x</b>.yaml", b"code: [")])
    assert err.value.problems[0]["field"].startswith("files[0]")


@pytest.fixture
def composed(monkeypatch):
    """How many YAML nodes were composed, and how many SOPs reached the validation."""
    seen = {"nodes": 0, "validated": 0}
    compose = yaml.composer.Composer.compose_node
    validate = Sop.model_validate.__func__

    def counting_compose(self, parent, index):
        seen["nodes"] += 1
        return compose(self, parent, index)

    def counting_validate(cls, *args, **kwargs):
        seen["validated"] += 1
        return validate(cls, *args, **kwargs)

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", counting_compose)
    monkeypatch.setattr(Sop, "model_validate", classmethod(counting_validate))
    return seen


def test_a_huge_yaml_text_is_refused_before_it_is_parsed(composed):
    huge = "steps:\n" + "  - role: pelayanan\n" * (3 * MB // 20)
    with pytest.raises(InvalidInput) as err:
        sop_documents.parse_input(text=huge)
    assert err.value.problems[0]["field"] == "yaml"
    assert composed == {"nodes": 0, "validated": 0}


def billion_laughs(levels: int = 9) -> str:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text + f"code: x\nsteps: *a{levels - 1}\n"


def test_an_alias_bomb_is_refused_while_it_is_read(composed):
    text = billion_laughs()
    assert len(text) < 1000  # 9^9 "lol"s once expanded
    with pytest.raises(InvalidInput) as err:
        sop_documents.parse_input(text=text)
    assert err.value.problems == [
        {"field": "yaml", "message": "YAML terlalu rumit (terlalu dalam, terlalu banyak alias atau isian)."}
    ]
    assert composed["validated"] == 0
    assert composed["nodes"] < 200


def test_many_aliases_and_deep_nesting_are_refused_too(composed):
    many = "x: &x 1\ny: [" + ",".join(["*x"] * (sop_documents.MAX_YAML_ALIASES + 1)) + "]\n"
    deep = "x: " + "[" * 5000 + "]" * 5000 + "\n"
    for text in (many, deep):
        with pytest.raises(InvalidInput) as err:
            sop_documents.parse_input(text=text)
        assert err.value.problems[0]["field"] == "yaml"
    assert composed["validated"] == 0


def test_a_yaml_mistake_names_its_line_and_column_but_not_the_text():
    with pytest.raises(InvalidInput) as err:
        sop_documents.parse_input(text="code: ktp\nname: [<SECRET-TEXT>\n")
    [problem] = err.value.problems
    assert problem["message"].startswith("Bukan YAML yang sah (baris ")
    assert "SECRET" not in problem["message"]


def test_a_shipped_sop_still_reads(loket):
    for sop in loket.catalog:
        text = ops.export_yaml(loket, sop.code)
        assert sop_documents.parse_input(text=text)[0] == sop
