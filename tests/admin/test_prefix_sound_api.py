"""Prefixes that sound alike over HTTP: saving is never refused, the answer carries the warning, and the editor's
live check names every service whose letter is easily misheard for the one typed."""

from __future__ import annotations

import pytest

KIA = "penerbitan-kia"  # prefix F in the shipped catalog: nothing sounds like it (no S, no X)


@pytest.fixture
def admin(staff):
    return staff("admin", "admin")


def test_a_prefix_that_sounds_alike_is_saved_with_a_warning(admin):
    read = admin.client.get(f"/api/admin/sops/{KIA}").get_json()
    assert read["warnings"] == []
    sop = read["sop"]
    sop["prefix"] = "N"  # "en", and Pengakuan Anak is M, "em"
    r = admin.client.put(f"/api/admin/sops/{KIA}", json={"sop": sop}, headers=admin.csrf())
    assert r.status_code == 200, r.get_json()  # a warning, not a refusal
    [warning] = r.get_json()["warnings"]
    assert warning["field"] == "prefix" and warning["other"] == {
        "code": "pengakuan-anak",
        "name": warning["other"]["name"],
        "prefix": "M",
        "spoken": "em",
    }
    assert "terdengar mirip" in warning["label"]["id"] and "sounds like" in warning["label"]["en"]
    assert admin.client.get(f"/api/admin/sops/{KIA}").get_json()["sop"]["prefix"] == "N"


def test_the_editors_live_check(admin, client):
    r = admin.client.get("/api/admin/sops/prefix-check?prefix=t")
    assert r.status_code == 200
    body = r.get_json()
    assert body["prefix"] == "T"
    assert sorted(w["other"]["prefix"] for w in body["warnings"]) == ["B", "D", "E", "G"]
    own = admin.client.get("/api/admin/sops/prefix-check?prefix=B&code=pencetakan-ktp-el").get_json()
    assert "pencetakan-ktp-el" not in [w["other"]["code"] for w in own["warnings"]]
    assert admin.client.get("/api/admin/sops/prefix-check?prefix=Z").get_json()["warnings"] == []
    assert client.get("/api/admin/sops/prefix-check?prefix=B").status_code in (401, 403)
