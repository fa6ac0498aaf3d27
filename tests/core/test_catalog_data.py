"""The shipped SOP catalog (sops/*.yaml) matches the seed poster and the house rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loket.core.catalog import load_catalog

SOPS_DIR = Path(__file__).resolve().parents[2] / "loket" / "sops"

#: code by seed order (the poster's numbering).
CODES = {
    1: "perekaman-ktp-el",
    2: "pencetakan-ktp-el",
    3: "pindah-datang",
    4: "pindah-wni-keluar",
    5: "dokumen-hilang-rusak",
    6: "penerbitan-kia",
    7: "kk-perubahan-elemen",
    8: "pelaporan-akta-kelahiran",
    9: "permohonan-akta-kelahiran",
    10: "akta-kematian",
    11: "akta-perkawinan",
    12: "akta-perceraian",
    13: "pengakuan-anak",
}

#: Totals the seed states; every other SOP has none.
SEED_TOTALS = {2: 5, 5: 10, 6: 5, 9: 20, 10: 22, 13: 25}

#: SOPs the seed gives as a title only, or with only a total: shipped as drafts.
DRAFT_ORDERS = {1, 3, 4, 7, 8, 10, 11, 12, 13}

#: The flows the seed draws: (role, target minutes, resident present, gives pickup slip).
SEED_FLOWS = {
    2: [
        ("pelayanan", 2, True, False),
        ("operator", 3, False, False),
        ("pelayanan", None, True, False),
    ],
    5: [
        ("pelayanan", 3, True, True),
        ("operator", 2, False, False),
        ("scan", 5, False, False),
        ("pelayanan", None, True, False),
    ],
    6: [
        ("pelayanan", None, True, False),
        ("pendukung", 3, False, True),
        ("operator", 2, False, False),
        ("pelayanan", None, True, False),
    ],
    9: [
        ("pelayanan", 10, True, True),
        ("scan", 5, False, False),
        ("bidang", 3, False, False),
        ("operator", 3, False, False),
        ("register", 2, False, False),
        ("pelayanan", None, True, False),
    ],
}


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(SOPS_DIR)


def _flow(sop):
    return [(s.role.value, s.target_minutes, s.resident_present, s.gives_pickup_slip) for s in sop.steps]


def test_thirteen_sops_in_seed_order(shipped):
    assert len(shipped) == 13
    assert [s.order for s in shipped] == list(range(1, 14))
    assert {s.order: s.code for s in shipped} == CODES


def test_files_are_named_order_and_code(shipped):
    names = sorted(p.name for p in SOPS_DIR.glob("*.y*ml"))
    assert names == [f"{n:02d}-{code}.yaml" for n, code in sorted(CODES.items())]
    for sop in shipped:
        assert Path(shipped.sources[sop.code]).name == f"{sop.order:02d}-{sop.code}.yaml"


def test_codes_and_prefixes_are_unique(shipped):
    codes = [s.code for s in shipped]
    prefixes = [s.prefix for s in shipped]
    assert len(set(codes)) == len(codes)
    assert len(set(prefixes)) == len(prefixes)
    assert {s.order: s.prefix for s in shipped} == {n: chr(ord("A") + n - 1) for n in CODES}


def test_ktp_el_printing_keeps_its_reference_prefix(shipped):
    assert shipped.get("pencetakan-ktp-el").prefix == "B"


def test_seed_totals(shipped):
    assert {s.order: s.seed_total_minutes for s in shipped if s.seed_total_minutes is not None} == SEED_TOTALS


def test_only_akta_kelahiran_total_mismatch_is_reported(shipped):
    assert [s.code for s in shipped.mismatches()] == ["permohonan-akta-kelahiran"]
    akta = shipped.get("permohonan-akta-kelahiran")
    assert akta.total_mismatch
    assert akta.steps_total_minutes == 23
    assert akta.seed_total_minutes == 20
    # The promise to the resident stays the seed's official total.
    assert akta.target_minutes == 20


def test_drafts_are_exactly_the_title_only_and_total_only_sops(shipped):
    assert {s.order for s in shipped if s.draft} == DRAFT_ORDERS
    assert DRAFT_ORDERS.isdisjoint(SEED_FLOWS)
    assert set(CODES) == DRAFT_ORDERS | set(SEED_FLOWS)


@pytest.mark.parametrize("order", sorted(SEED_FLOWS))
def test_seed_flows(shipped, order):
    assert _flow(shipped.get(CODES[order])) == SEED_FLOWS[order]


def test_ktp_el_printing_flow(shipped):
    sop = shipped.get("pencetakan-ktp-el")
    assert [(s.role.value, s.target_minutes) for s in sop.steps] == [
        ("pelayanan", 2),
        ("operator", 3),
        ("pelayanan", None),
    ]


@pytest.mark.parametrize("order", sorted(DRAFT_ORDERS))
def test_draft_default_flow(shipped, order):
    sop = shipped.get(CODES[order])
    assert [s.role.value for s in sop.steps] == ["pelayanan", "operator", "pelayanan"]
    assert all(s.target_minutes is None for s in sop.steps)
    assert sop.steps[0].resident_present and sop.steps[-1].resident_present
    # Perekaman records the resident's biometrics, so its operator step is in person.
    assert sop.steps[1].resident_present is (sop.code == "perekaman-ktp-el")
    assert not any(s.gives_pickup_slip for s in sop.steps)


def test_pickup_slip_flags_follow_the_seed(shipped):
    slips = {s.code: [i for i, st in enumerate(s.steps) if st.gives_pickup_slip] for s in shipped}
    expected = {code: [] for code in CODES.values()}
    expected.update({"dokumen-hilang-rusak": [0], "penerbitan-kia": [1], "permohonan-akta-kelahiran": [0]})
    assert slips == expected


def test_every_sop_ends_with_hand_over_at_the_front_desk(shipped):
    for sop in shipped:
        assert sop.steps[0].role.value == "pelayanan" and sop.steps[0].resident_present, sop.code
        assert sop.steps[-1].role.value == "pelayanan" and sop.steps[-1].resident_present, sop.code


def test_pindah_biwa_keeps_the_seed_title(shipped):
    sop = shipped.get("pindah-wni-keluar")
    assert sop.seed_title == "SOP PELAYANAN PENGAJUAN PINDAH BIWA"
    assert sop.name.id == "Pindah WNI (keluar)"
    assert sop.name.en == "Moving out (Pindah WNI, SKPWNI)"


def test_every_sop_has_a_seed_title_and_is_free(shipped):
    for sop in shipped:
        assert sop.seed_title and sop.seed_title.upper().startswith("SOP "), sop.code
        assert any("gratis" in c.id.lower() for c in sop.conditions), sop.code


def test_deadlines(shipped):
    assert any("30 hari" in c.id for c in shipped.get("akta-kematian").conditions)
    assert any("60 hari" in c.id for c in shipped.get("akta-perceraian").conditions)


def test_kia_photo_keeps_the_seed_wording(shipped):
    photo = [r for r in shipped.get("penerbitan-kia").requirements if "pas foto" in r.text.id.lower()]
    assert len(photo) == 1
    assert "4x6" in photo[0].text.id and "di bawah 3 tahun" in photo[0].text.id


def test_every_requirement_has_an_explanation(shipped):
    for sop in shipped:
        for req in sop.requirements:
            assert req.note is not None, f"{sop.code}: {req.key}"
            assert req.note.id.strip() and req.note.en.strip(), f"{sop.code}: {req.key}"


def test_no_rt_rw_letter_is_required(shipped):
    for sop in shipped:
        for req in sop.requirements:
            assert not re.search(r"\bRT\b|\bRW\b", req.text.id + " " + req.note.id), f"{sop.code}: {req.key}"


@pytest.mark.parametrize("word", ["silahkan", "antrian"])
def test_kbbi_spelling_everywhere_in_sops(word):
    for path in sorted(SOPS_DIR.iterdir()):
        assert word not in path.read_text(encoding="utf-8").lower(), f"{path.name} contains {word!r}"
