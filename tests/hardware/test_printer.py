"""The ticket printer: layout, bytes, a QR that scans from paper, and printers that fail."""

from __future__ import annotations

import dataclasses
import socket
from datetime import datetime

import pytest

from loket.hardware.printer import (
    FilePrinter,
    PrinterError,
    PrintJob,
    TicketContent,
    escpos_bytes,
    make_printer,
    pickup_slip_blocks,
    preview_image,
    ticket_blocks,
)
from loket.hardware.printer.emulator import NetworkPrinterEmulator
from loket.hardware.printer.layout import PAPER, Text, printable
from loket.hardware.printer.readback import decode_qr_image, native_qr_payloads, qr_payloads, raster_images

PAYLOAD = "LKT1:dukcapil:20261123:17:B-001.wlnFUnKfUaFcbC2YNpIqDQDrZECFCKoV-HKqzs9Fp6A"


@pytest.fixture
def content():
    return TicketContent(
        office_name="Dinas Kependudukan dan Pencatatan Sipil Kabupaten Contoh",
        number="B-001",
        service_name="Pencetakan KTP-el atau Surat Keterangan",
        issued_at=datetime(2026, 11, 23, 8, 5),
        qr_payload=PAYLOAD,
        ahead=3,
        priority_label="Lansia",
        requirements=["Fotokopi Kartu Keluarga (KK)", "Dokumen perubahan data — bila ada “penting”"],
    )


def _job(content, paper=80):
    blocks = ticket_blocks(content, paper)
    return PrintJob("ticket-B-001", escpos_bytes(blocks, paper=paper), preview_image(blocks, paper=paper))


@pytest.mark.parametrize("paper", [58, 80])
def test_every_text_line_fits_the_paper(content, paper):
    for block in ticket_blocks(content, paper):
        if isinstance(block, Text):
            assert len(block.text) * block.scale <= PAPER[paper]["columns"], block.text


def test_indonesian_text_prints_without_mojibake(content):
    assert printable("Dokumen — “asli” … café") == 'Dokumen - "asli" ... cafe'
    data = escpos_bytes(ticket_blocks(content, 80), paper=80)
    text_part = data.split(b"\x1d(k")[0]  # everything before the QR command
    assert all(b < 0x80 for b in text_part), "non-ASCII bytes would print as mojibake"
    assert b"NOMOR ANTREAN" in data and b"B-001" in data and b"Di depan Anda: 3 orang" in data
    assert b"Dokumen perubahan data - bila ada" in data


def test_a_ticket_s_bytes_do_not_depend_on_the_tickets_printed_before(content):
    """Block bytes are kept between tickets (issue 12): the same ticket gives the same bytes whatever came before."""
    from loket.hardware.printer import render

    fresh = {}
    for paper in (80, 58):
        render._block_bytes.cache_clear()
        fresh[paper] = escpos_bytes(ticket_blocks(content, paper), paper=paper)
    other = TicketContent(**{**content.__dict__, "number": "C-777", "ahead": 9, "qr_payload": PAYLOAD + "x"})
    for paper in (58, 80, 58):
        escpos_bytes(ticket_blocks(other, paper), paper=paper)
        assert escpos_bytes(ticket_blocks(content, paper), paper=paper) == fresh[paper]
    assert b"-" * PAPER[58]["columns"] + b"\n" in fresh[58] and b"-" * PAPER[80]["columns"] in fresh[80]
    assert b"-" * PAPER[80]["columns"] not in fresh[58]


def test_80mm_profile_uses_the_native_qr_command(content):
    data = escpos_bytes(ticket_blocks(content, 80), paper=80)
    assert native_qr_payloads(data) == [PAYLOAD] and raster_images(data) == []
    assert data.endswith(b"\x1dV\x00")  # the last command: a full cut (GS V 0), nothing left after it


def test_58mm_printer_without_qr_command_gets_a_raster_that_scans(content):
    data = escpos_bytes(ticket_blocks(content, 58), paper=58, profile="POS-5890")
    assert native_qr_payloads(data) == []
    [image] = raster_images(data)
    assert image.width <= PAPER[58]["dots"]
    assert decode_qr_image(image) == [PAYLOAD]


@pytest.mark.parametrize("paper", [58, 80])
def test_preview_png_shows_a_scannable_qr(content, paper):
    image = preview_image(ticket_blocks(content, paper), paper=paper)
    assert image.width == PAPER[paper]["dots"]
    assert decode_qr_image(image) == [PAYLOAD]


def test_pickup_slip_carries_the_same_qr(content):
    data = escpos_bytes(pickup_slip_blocks(content, 80), paper=80)
    assert b"SLIP PENGAMBILAN DOKUMEN" in data and qr_payloads(data) == [PAYLOAD]


def test_file_printer_writes_bytes_and_preview(content, tmp_path):
    printer = make_printer(f"preview:{tmp_path}")
    assert printer.wants_preview and not make_printer(f"file:{tmp_path}").wants_preview
    assert isinstance(printer, FilePrinter)
    printer.send(_job(content))
    [binary] = tmp_path.glob("*.bin")
    [png] = tmp_path.glob("*.png")
    assert qr_payloads(binary.read_bytes()) == [PAYLOAD]
    from PIL import Image

    assert decode_qr_image(Image.open(png)) == [PAYLOAD]


def test_network_printer_receives_the_whole_ticket(content):
    job = _job(content)
    with NetworkPrinterEmulator() as emu:
        make_printer(f"network:{emu.address}", check_status=True).send(job)
        emu.close()
        assert emu.jobs == [job.data]


def test_network_printer_that_refuses_is_not_connected(content):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(PrinterError) as err:
        make_printer(f"network:127.0.0.1:{port}", timeout=1).send(_job(content))
    assert err.value.reason == "not_connected"


def test_hang_up_mid_ticket_is_detected(content):
    with NetworkPrinterEmulator(mode="hangup", hangup_after=100) as emu, pytest.raises(PrinterError) as err:
        make_printer(f"network:{emu.address}", timeout=2, check_status=True).send(_job(content, 58))
    assert err.value.reason == "interrupted"


@pytest.mark.parametrize("mode", ["paper_out", "cover_open"])
def test_printer_status_stops_the_job_before_any_ticket_byte(content, mode):
    with NetworkPrinterEmulator(mode=mode) as emu:
        with pytest.raises(PrinterError) as err:
            make_printer(f"network:{emu.address}", check_status=True).send(_job(content))
        emu.close()
        assert err.value.reason == mode
        assert b"NOMOR ANTREAN" not in b"".join(emu.jobs)


def test_silent_printer_times_out_as_offline(content):
    with NetworkPrinterEmulator(mode="silent") as emu, pytest.raises(PrinterError) as err:
        make_printer(f"network:{emu.address}", timeout=0.5, check_status=True).send(_job(content))
    assert err.value.reason == "offline"


def test_unknown_printer_spec_is_refused():
    with pytest.raises(ValueError, match="unknown printer"):
        make_printer("carrier-pigeon:1")


@pytest.mark.parametrize("paper", [58, 80])
def test_a_status_page_qr_says_what_it_is_for_and_fits_the_paper(content, paper):
    content = dataclasses.replace(content, qr_payload="http://192.168.1.10:5000/s/T1.17.abcdefghijklmnop")
    for blocks in (ticket_blocks(content, paper), pickup_slip_blocks(content, paper)):
        texts = [b for b in blocks if isinstance(b, Text)]
        assert " ".join(b.text for b in texts).count("Pindai QR ini dengan kamera HP") == 1
        assert all(len(b.text) * b.scale <= PAPER[paper]["columns"] for b in texts)
    old = ticket_blocks(dataclasses.replace(content, qr_payload=PAYLOAD), paper)  # an older code: no page to open
    assert not any(isinstance(b, Text) and "Pindai QR" in b.text for b in old)


DOTS_PER_MM = 8  # 203 dpi


def _number_ink_mm(image, number_row_hint: int) -> float:
    """The height in mm of the tallest run of rows with ink, the number being the tallest text on the ticket."""
    import numpy as np

    dark = (np.asarray(image.convert("L")) < 128).any(axis=1)
    best = run = 0
    for row_has_ink in dark[:number_row_hint]:
        run = run + 1 if row_has_ink else 0
        best = max(best, run)
    return best / DOTS_PER_MM


@pytest.mark.parametrize("paper", [58, 80])
def test_the_number_prints_at_least_15_mm_tall(content, paper):
    """Issue 15: 12 mm on 80 mm paper and 9 mm on 58 mm were too small from the waiting room's chairs."""
    from loket.hardware.printer.layout import number_block

    blocks = ticket_blocks(content, paper)
    [number] = [b for b in blocks if isinstance(b, Text) and b.text == content.number]
    assert number.tall * 24 / DOTS_PER_MM >= 15  # the line the printer gives it (font A: 24 dots high)
    assert len(number.text) * number.scale <= PAPER[paper]["columns"]
    data = escpos_bytes(blocks, paper=paper)
    size = (number.scale - 1) << 4 | (number.tall - 1)
    at = data.index(number.text.encode() + b"\n")
    assert b"\x1d!" + bytes([size]) in data[at - 12 : at]  # GS ! n: its width and height multipliers
    image = preview_image(blocks, paper=paper)
    qr_top = next(i for i, b in enumerate(blocks) if b.__class__.__name__ == "QR")
    assert qr_top > blocks.index(number)
    assert _number_ink_mm(image, 420) >= 15  # the digits' ink in the picture of the paper
    # A longer number still fits the paper, narrower but as tall.
    wide = number_block("AB-1234", paper)
    assert len(wide.text) * wide.scale <= PAPER[paper]["columns"] and wide.tall == number.tall


def test_the_priority_line_wraps_on_58mm_instead_of_being_cut(content):
    long = dataclasses.replace(content, priority_label="Penyandang disabilitas dan pendampingnya")
    lines = [b.text for b in ticket_blocks(long, 58) if isinstance(b, Text)]
    joined = " ".join(lines)
    assert "Layanan prioritas: Penyandang disabilitas dan pendampingnya" in joined
    assert all(len(line) <= PAPER[58]["columns"] for line in lines)


@pytest.mark.parametrize("paper", [58, 80])
def test_the_ticket_says_where_to_wait_its_day_hours_and_status_link(content, paper):
    url = "http://192.168.1.10:5000/s/B1.ABCDEFGH.0123456789"
    ticket = dataclasses.replace(
        content, qr_payload=url, waiting_area="Ruang tunggu lantai 1", hours_today="08:00-15:00"
    )
    text = " ".join(b.text for b in ticket_blocks(ticket, paper) if isinstance(b, Text))
    assert "Tunggu di: Ruang tunggu lantai 1" in text
    assert "Berlaku hanya hari ini, Senin, 23 Nov 2026, jam layanan 08:00-15:00." in text
    assert "192.168.1.10:5000/s/B1.ABCDEFGH.0123456789" in text.replace(" ", "")
    plain = " ".join(
        b.text for b in ticket_blocks(dataclasses.replace(content, qr_payload=url), paper) if isinstance(b, Text)
    )
    assert "Tunggu di: ruang tunggu" in plain and "jam layanan" not in plain


@pytest.mark.parametrize("paper", [58, 80])
def test_the_pickup_slip_is_a_complete_receipt(content, paper):
    slip = dataclasses.replace(
        content,
        received_at=datetime(2026, 11, 24, 9, 30),
        ready_line="Perkiraan selesai: Kamis, 26 Nov 2026",
        pickup_hours=["Senin-Jumat 13:00-15:00"],
    )
    text = " ".join(b.text for b in pickup_slip_blocks(slip, paper) if isinstance(b, Text))
    assert "Berkas diterima: Selasa, 24 Nov 2026 09:30" in text  # not the ticket's issue time
    assert "Senin, 23 Nov" not in text
    assert "Layanan: Pencetakan KTP-el" in text
    assert "Perkiraan selesai: Kamis, 26 Nov 2026" in text
    assert "Jam pengambilan dokumen: Senin-Jumat 13:00-15:00" in text
    bare = " ".join(b.text for b in pickup_slip_blocks(content, paper) if isinstance(b, Text))
    assert "Perkiraan selesai: lihat halaman status" in bare and "pada jam layanan kantor" in bare
