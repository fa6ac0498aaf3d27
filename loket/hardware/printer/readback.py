"""Read a printed ESC/POS job back: the QR payloads it carries, native or raster.

Used by the tests and by `python -m loket.hardware.printer.readback FILE.bin` to check
what a printer was actually sent.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PIL import Image, ImageOps
from pyzbar.pyzbar import ZBarSymbol, decode

GS_QR_STORE = b"\x1d(k"  # GS ( k pL pH cn=49 fn=80 m=48 data
GS_RASTER = b"\x1dv0"  # GS v 0 m xL xH yL yH data


def native_qr_payloads(data: bytes) -> list[str]:
    """Payloads stored with the printer's own QR command (GS ( k, function 180)."""
    out, i = [], 0
    while (i := data.find(GS_QR_STORE, i)) != -1:
        p_l, p_h, cn, fn = data[i + 3], data[i + 4], data[i + 5], data[i + 6]
        size = p_l + 256 * p_h
        if cn == 49 and fn == 80:
            out.append(data[i + 8 : i + 5 + size].decode("latin-1"))
        i += 5 + size
    return out


def raster_images(data: bytes) -> list[Image.Image]:
    """Raster images (GS v 0) in the job; consecutive fragments joined into one picture."""
    images: list[Image.Image] = []
    i, last_end = 0, -1
    while (i := data.find(GS_RASTER, i)) != -1:
        x_bytes = data[i + 4] + 256 * data[i + 5]
        rows = data[i + 6] + 256 * data[i + 7]
        start = i + 8
        bits = data[start : start + x_bytes * rows]
        # ESC/POS: bit 1 = a black dot; PIL "1" mode: bit 1 = white. Invert.
        fragment = ImageOps.invert(Image.frombytes("1", (x_bytes * 8, rows), bits).convert("L"))
        if images and last_end == i:
            top = images[-1]
            joined = Image.new("L", (max(top.width, fragment.width), top.height + rows), 255)
            joined.paste(top, (0, 0))
            joined.paste(fragment, (0, top.height))
            images[-1] = joined
        else:
            images.append(fragment)
        i = last_end = start + x_bytes * rows
    return images


def decode_qr_image(image: Image.Image) -> list[str]:
    padded = ImageOps.expand(image.convert("L"), border=32, fill=255)
    return [r.data.decode("utf-8") for r in decode(padded, symbols=[ZBarSymbol.QRCODE])]


def qr_payloads(data: bytes) -> list[str]:
    """Every QR payload a printer would print from this job, however it is encoded."""
    found = native_qr_payloads(data)
    for image in raster_images(data):
        found += decode_qr_image(image)
    return found


#: A line of text as layout blocks are sent: its alignment last (ESC a n, python-escpos's set()), then the line
#: and a line feed.
_TEXT_LINE = re.compile(rb"\x1ba[\x00-\x02]([ -~]*)\n")


def _without_images(data: bytes) -> bytes:
    """The job with its raster images and stored QR data cut out (their bytes are no text)."""
    out, i = bytearray(), 0
    while True:
        raster, qr = data.find(GS_RASTER, i), data.find(GS_QR_STORE, i)
        starts = [p for p in (raster, qr) if p != -1]
        if not starts:
            return bytes(out + data[i:])
        start = min(starts)
        out += data[i:start]
        if start == raster:
            x_bytes, rows = data[start + 4] + 256 * data[start + 5], data[start + 6] + 256 * data[start + 7]
            i = start + 8 + x_bytes * rows
        else:
            i = start + 5 + data[start + 3] + 256 * data[start + 4]


def printed_lines(data: bytes) -> list[str]:
    """The lines of text a printer would print from this job, in order (layout and images left out)."""
    return [m.group(1).decode("ascii") for m in _TEXT_LINE.finditer(_without_images(data))]


def main(argv: list[str]) -> int:
    for name in argv or ["-"]:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        print(f"{name}: {len(data)} bytes")
        for payload in qr_payloads(data):
            print(f"  QR: {payload}")
        for line in printed_lines(data):
            print(f"  | {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
