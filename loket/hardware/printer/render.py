"""Render ticket blocks to ESC/POS bytes (python-escpos) or to a PNG preview (Pillow)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import segno
from escpos.constants import QR_ECLEVEL_M
from escpos.magicencode import Encoder
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont, ImageOps

from .layout import PAPER, QR, Block, Feed, Rule, Text

#: A common 80 mm printer with native QR, and a common cheap 58 mm one without it.
DEFAULT_PROFILE = {80: "TM-T20II", 58: "POS-5890"}
QR_MODULE_DOTS = 6
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def escpos_bytes(
    blocks: list[Block], *, paper: int = 80, profile: str | None = None, native_qr: bool | None = None
) -> bytes:
    """The exact bytes to send to the printer, ending with a cut.

    The QR code uses the printer's own QR command when its profile has one
    (sharpest, smallest), else it is sent as a raster image any printer prints.
    Every other block is the same on each ticket (office name, rules, the documents to bring) or
    nearly (number, time): their bytes are made once and kept (issue 12: python-escpos picks a code
    page character by character, which was most of a ticket's printer bytes).
    """
    profile = profile or DEFAULT_PROFILE[paper]
    if native_qr is None:
        native_qr = _native_qr(profile)
    start, encoding = _start(profile)
    parts = [start]
    for block in blocks:
        if isinstance(block, QR):
            parts.append(_qr_bytes(block.payload, profile, native_qr, encoding))
        else:
            parts.append(_block_bytes(block, PAPER[paper]["columns"], profile, encoding))
    parts.append(_end(profile, encoding))
    return b"".join(parts)


@lru_cache(maxsize=8)
def _native_qr(profile: str) -> bool:
    return bool(Dummy(profile=profile).profile.supports("qrCode"))


@lru_cache(maxsize=8)
def _start(profile: str) -> tuple[bytes, str | None]:
    """The printer's reset and the code page for all text (chosen once: ticket text is ASCII, layout.printable)."""
    printer = Dummy(profile=profile)
    printer.hw("INIT")
    before = len(printer.output)
    printer.text("A")
    return printer.output[:-1], printer.magic.encoding if len(printer.output) > before + 1 else None


def _printer(profile: str, encoding: str | None) -> Dummy:
    """A fresh printer whose code page is already the one `_start` selected, sharing the profile's encoder
    (which builds its character tables once: a new one per printer cost more than the text it wrote)."""
    printer = Dummy(profile=profile)
    printer.magic.encoder = _encoder(profile)
    printer.magic.encoding = encoding
    return printer


@lru_cache(maxsize=8)
def _encoder(profile: str) -> Encoder:
    return Dummy(profile=profile).magic.encoder


@lru_cache(maxsize=4096)
def _block_bytes(block: Block, columns: int, profile: str, encoding: str | None) -> bytes:
    printer = _printer(profile, encoding)
    if isinstance(block, Text):
        if block.scale > 1 or block.tall > 1:
            printer.set(align=block.align, bold=block.bold, custom_size=True, width=block.scale, height=block.tall)
        else:
            printer.set(align=block.align, bold=block.bold, normal_textsize=True)
        printer.textln(block.text)
    elif isinstance(block, Rule):
        printer.set(align="left", bold=False, normal_textsize=True)
        printer.textln("-" * columns)
    elif isinstance(block, Feed):
        printer.ln(block.lines)
    return printer.output


def _qr_bytes(payload: str, profile: str, native: bool, encoding: str | None) -> bytes:
    printer = _printer(profile, encoding)
    printer.set(align="center", normal_textsize=True)
    if native:
        printer.qr(payload, ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS, native=True)
    else:
        # What python-escpos's qr(native=False) sends, with the symbol made by segno: the pure-Python
        # `qrcode` package it uses took ~5 ms per ticket choosing a mask (segno: ~2.5 ms).
        printer.text("\n")
        printer.image(_qr_raster(payload), center=True)
        printer.text("\n")
        printer.text("\n")
    return printer.output


def _qr_raster(payload: str, module: int = QR_MODULE_DOTS, border: int = 1) -> Image.Image:
    """The QR code as a black-on-white image, `module` dots per module and a `border` of modules."""
    matrix = segno.make(payload, error="m", micro=False, boost_error=False).matrix
    side = len(matrix)
    symbol = Image.frombytes("L", (side, side), bytes(0 if dark else 255 for row in matrix for dark in row))
    framed = ImageOps.expand(symbol, border=border, fill=255)
    return framed.resize((framed.width * module, framed.height * module), Image.Resampling.NEAREST).convert("RGB")


@lru_cache(maxsize=8)
def _end(profile: str, encoding: str | None) -> bytes:
    printer = _printer(profile, encoding)
    printer.set(align="left", bold=False, normal_textsize=True)
    printer.cut()
    return printer.output


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / ("DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:  # fonts-dejavu-core missing: still draw something legible
        return ImageFont.load_default(size)


def qr_image(payload: str, module: int = QR_MODULE_DOTS) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=module, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


#: A printer's font A: 12 x 24 dots a character, its digits about 18 of the 24 dots high.
CELL_DOTS = 24
INK_DOTS = 18


def _tall_row(block: Text, width: int, base: int) -> Image.Image:
    """A line printed taller than wide (the number): drawn, then stretched to the height the printer gives it,
    so the preview's digits are as tall as the paper's (`INK_DOTS` x the height multiplier)."""
    font = _font(block.bold, base * block.scale)
    left, top, right, bottom = font.getbbox(block.text or " ")
    glyphs = Image.new("L", (max(1, right - left), max(1, bottom - top)), 255)
    ImageDraw.Draw(glyphs).text((-left, -top), block.text, font=font, fill=0)
    ink = INK_DOTS * block.tall
    glyphs = glyphs.resize((glyphs.width, ink), Image.Resampling.BICUBIC)
    row = Image.new("L", (width, CELL_DOTS * block.tall), 255)
    x = {"left": 0, "right": width - glyphs.width}.get(block.align, (width - glyphs.width) // 2)
    row.paste(glyphs, (max(0, x), (row.height - ink) // 2))
    return row


def preview_image(blocks: list[Block], *, paper: int = 80) -> Image.Image:
    """A picture of the printed ticket at the printer's resolution (203 dpi)."""
    width = PAPER[paper]["dots"]
    char_w = width // PAPER[paper]["columns"]
    base = int(char_w / 0.6)  # DejaVu Sans Mono: a character is 0.6 em wide
    rows: list[Image.Image] = []
    for block in blocks:
        if isinstance(block, Text) and block.tall != block.scale:
            rows.append(_tall_row(block, width, base))
        elif isinstance(block, Text):
            font = _font(block.bold, base * block.scale)
            left, _top, right, _bottom = font.getbbox(block.text or " ")
            row = Image.new("L", (width, int(base * block.scale * 1.25)), 255)
            draw = ImageDraw.Draw(row)
            text_w = right - left
            x = {"left": 0, "right": width - text_w}.get(block.align, (width - text_w) // 2)
            draw.text((x, 0), block.text, font=font, fill=0)
            rows.append(row)
        elif isinstance(block, Rule):
            row = Image.new("L", (width, base), 255)
            ImageDraw.Draw(row).line([(0, base // 2), (width, base // 2)], fill=0, width=2)
            rows.append(row)
        elif isinstance(block, Feed):
            rows.append(Image.new("L", (width, int(base * 1.25) * block.lines), 255))
        elif isinstance(block, QR):
            code = qr_image(block.payload)
            row = Image.new("L", (width, code.height), 255)
            row.paste(code, ((width - code.width) // 2, 0))
            rows.append(row)
    margin = 24
    sheet = Image.new("L", (width, sum(r.height for r in rows) + 2 * margin), 255)
    y = margin
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height
    return sheet
