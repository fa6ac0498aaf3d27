"""Loading SOP files: a bad file is refused with a message naming file, SOP and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loket.core.catalog import load_catalog
from loket.core.errors import CatalogError
from loket.core.tickets import issuing

SOPS = Path(__file__).resolve().parents[2] / "loket" / "sops"


@pytest.fixture
def sop_dir(tmp_path):
    target = tmp_path / "sops"
    shutil.copytree(SOPS, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_target_names_file_sop_and_field(sop_dir):
    _edit(sop_dir / "02-pencetakan-ktp-el.yaml", "target_minutes: 3", "target_minutes: tiga")
    with pytest.raises(CatalogError) as err:
        load_catalog(sop_dir)
    [problem] = err.value.problems
    assert "02-pencetakan-ktp-el.yaml" in problem
    assert "SOP 'pencetakan-ktp-el'" in problem
    assert "steps[1].target_minutes" in problem


def test_unknown_role_and_missing_field_are_both_reported(sop_dir):
    _edit(sop_dir / "02-pencetakan-ktp-el.yaml", "role: operator", "role: tukang")
    (sop_dir / "06-penerbitan-kia.yaml").write_text(
        (sop_dir / "06-penerbitan-kia.yaml").read_text(encoding="utf-8").replace("prefix: F\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as err:
        load_catalog(sop_dir)
    text = "\n".join(err.value.problems)
    assert "steps[1].role" in text and "pencetakan-ktp-el" in text
    assert "06-penerbitan-kia.yaml: SOP 'penerbitan-kia': prefix" in text


def test_broken_yaml_and_duplicate_code(sop_dir):
    (sop_dir / "99-broken.yaml").write_text("code: [unclosed\n", encoding="utf-8")
    shutil.copy(sop_dir / "02-pencetakan-ktp-el.yaml", sop_dir / "98-copy.yaml")
    with pytest.raises(CatalogError) as err:
        load_catalog(sop_dir)
    text = "\n".join(err.value.problems)
    assert "99-broken.yaml: not valid YAML" in text
    assert "98-copy.yaml: SOP 'pencetakan-ktp-el': code: already used by" in text


def test_first_step_must_receive_the_resident(sop_dir):
    path = sop_dir / "02-pencetakan-ktp-el.yaml"
    _edit(
        path, "    target_minutes: 2\n    resident_present: true", "    target_minutes: 2\n    resident_present: false"
    )
    with pytest.raises(CatalogError, match="langkah pertama harus menerima pemohon di loket"):
        load_catalog(sop_dir)


def test_failed_reload_keeps_the_catalog_in_use(loket, sop_dir):
    before = loket.catalog
    _edit(sop_dir / "09-permohonan-akta-kelahiran.yaml", "prefix: I", "prefix: ii")
    with pytest.raises(CatalogError, match="prefix"):
        loket.reload_catalog(str(sop_dir))
    assert loket.catalog is before
    assert issuing.issue(loket, "permohonan-akta-kelahiran").ticket.number == "I-001"


def test_start_up_fails_on_a_bad_sop_file(sop_dir, tmp_path):
    from loket.app import create_app

    _edit(sop_dir / "05-dokumen-hilang-rusak.yaml", "resident_present: false", "resident_present: kadang")
    with pytest.raises(CatalogError, match=r"05-dokumen-hilang-rusak\.yaml"):
        create_app(
            {"SOP_DIR": str(sop_dir), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "t"},
            instance_path=str(tmp_path / "instance"),
        )


def test_mismatch_is_reported_by_the_cli(tmp_path):
    from loket.app import create_app

    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "t"}, instance_path=str(tmp_path / "inst")
    )
    out = app.test_cli_runner().invoke(args=["check-sops"]).output
    assert "permohonan-akta-kelahiran  MISMATCH: seed total 20 min, steps sum 23 min" in out
    assert out.count("MISMATCH") == 1
