"""Issue 15: "Kembalikan" prints a slip with the documents missing (read back from the file printer, 58 and
80 mm), and the resident who comes back with it is scanned in at the front desk and goes to the front."""

from __future__ import annotations

import pytest

from loket.hardware.printer.layout import PAPER
from loket.hardware.printer.readback import printed_lines, qr_payloads
from tests.fixtures.web import make_app, staff_of

HILANG = "dokumen-hilang-rusak"
MISSING = {
    "surat-kehilangan-polisi": "Surat keterangan hilang dari kepolisian",
    "dokumen-perubahan-data": "Fotokopi dokumen dasar perubahan data",
}


def documents_on(lines: list[str]) -> list[str]:
    """The items under "Dokumen yang perlu dilengkapi:", their wrapped lines joined."""
    start = lines.index("Dokumen yang perlu dilengkapi:") + 1
    items: list[str] = []
    for line in lines[start:]:
        if set(line) == {"-"}:  # the rule after the list
            break
        if line.startswith("- "):
            items.append(line[2:])
        else:
            assert line.startswith("  ")
            items[-1] += " " + line.strip()
    return items


@pytest.mark.parametrize("paper", [58, 80])
def test_kembalikan_prints_the_missing_documents_and_the_slip_brings_the_resident_to_the_front(
    tmp_path, demo_database, paper
):
    app = make_app(tmp_path, demo_database, PRINTER_PAPER=paper, PUBLIC_URL="http://192.168.1.10:5000")
    client = app.test_client()
    desk = staff_of(app)("pelayanan", "pelayanan", "Loket 1")
    returned = client.post("/api/tickets", json={"service": HILANG}).get_json()
    ticket = desk.post("/api/counter/call-next").get_json()["ticket"]
    assert ticket["number"] == returned["number"]
    assert desk.post(f"/api/staff/tickets/{ticket['id']}/start").status_code == 200
    r = desk.post(f"/api/staff/tickets/{ticket['id']}/return", {"missing": list(MISSING), "note": "Kurang"})
    data = r.get_json()
    assert r.status_code == 200 and data["ticket"]["state"] == "returned" and data["print"]["ok"] is True

    [slip] = (tmp_path / "tickets").glob(f"*-return-{returned['number']}.bin")
    raw = slip.read_bytes()
    lines = printed_lines(raw)
    assert "BERKAS DIKEMBALIKAN" in lines and returned["number"] in lines
    assert documents_on(lines) == list(MISSING.values())
    assert all(len(line) <= PAPER[paper]["columns"] for line in lines if line != returned["number"])
    assert "Anda dilayani lebih dahulu" in " ".join(lines)  # the head start is promised on paper
    assert qr_payloads(raw) == [returned["qr"]]  # the status page's address, which the desk scans

    # Reprint: only for a returned berkas.
    slip.unlink()
    again = desk.post(f"/api/staff/tickets/{ticket['id']}/return-slip")
    assert again.status_code == 200 and again.get_json()["print"]["ok"] is True
    [reprinted] = (tmp_path / "tickets").glob(f"*-return-{returned['number']}.bin")
    assert documents_on(printed_lines(reprinted.read_bytes())) == list(MISSING.values())

    # Meanwhile others queue; the resident comes back with the documents and the slip.
    later = [client.post("/api/tickets", json={"service": HILANG}).get_json() for _ in range(2)]
    scanned = desk.post("/api/scan", {"code": returned["qr"]}).get_json()["ticket"]
    assert scanned["id"] == ticket["id"] and scanned["state"] == "returned"
    assert desk.post(f"/api/staff/tickets/{ticket['id']}/resume").get_json()["ticket"]["state"] == "waiting"
    assert client.get(returned["qr"].removeprefix("http://192.168.1.10:5000")).status_code == 200
    assert desk.post("/api/counter/call-next").get_json()["ticket"]["number"] == returned["number"]
    assert desk.post(f"/api/staff/tickets/{ticket['id']}/return-slip").status_code == 409  # no longer returned
    assert desk.post("/api/counter/call-next").get_json()["ticket"]["number"] == later[0]["number"]
    app.extensions["loket"].store.dispose()
