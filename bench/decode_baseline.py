"""The decoder as it was before issue 12 (OpenCV region search + pyzbar), kept as the benchmark's baseline.

A copy of loket/hardware/scanner/decode.py at 365ec12; only bench/decode.py uses it. Its original docstring:

Find QR codes in camera frames: a cheap search for code-like regions, then zbar on each region alone.

Plain zbar over a whole 1280x720 frame costs ~6 ms before it looks at a single edge (it walks every
row and column), and sensor noise adds thousands of false edges. Scanning only the few patches that
are dense with edges, each binarised at its own scale (so shadows and dim light do not matter),
is several times faster and reads smaller, more rotated and more blurred codes (bench/decode.py).
"""

from __future__ import annotations

import cv2
import numpy as np
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

QR_ONLY = [ZBarSymbol.QRCODE]
EDGE_MIN = 16  # grey-level step between neighbours (at half size) that counts as an edge
DENSITY_WINDOW = 11  # px at half size
REGION_MIN = 20  # px at half size: a code under ~50 px wide in the frame is too small to read anyway
SMALL_CROP = 200  # crops up to this size are also scanned enlarged: zbar misses modules of ~2 px
ENLARGE = 1.5  # as good as 2x on the sweep in bench/decode.py, at half the pixels
CROP_MAX = 640  # bigger crops (a code held close to the camera) are shrunk to this first
THRESHOLD_OFFSET = 4  # grey levels below the local mean that count as dark: keeps sensor noise white
_GRADIENT = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
_OPEN = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))


def decode(frame: np.ndarray) -> list[str]:
    """QR payloads in a BGR, BGRA or grey frame of any size, each once, in the order found."""
    gray = _gray(frame)
    height, width = gray.shape
    if min(height, width) < 4 * REGION_MIN:  # a thumbnail: too small to search, cheap to scan whole
        return list(dict.fromkeys(_scan(gray)))
    found: dict[str, None] = {}
    # A code held close has modules too big for the edge-density search below; at quarter size,
    # binarised, it reads in under a millisecond, and the crops inside it need no second look.
    quarter = cv2.resize(gray, (width // 4, height // 4), interpolation=cv2.INTER_AREA)
    _, quarter = cv2.threshold(quarter, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    read = []
    for symbol in zbar_decode(quarter, symbols=QR_ONLY):
        found[_text(symbol.data)] = None
        left, top, w, h = symbol.rect
        read.append((left * 4, top * 4, (left + w) * 4, (top + h) * 4))
    for x, y, w, h in candidate_regions(gray):
        cx, cy = x + w // 2, y + h // 2
        if any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in read):
            continue
        for payload in _scan(gray[y : y + h, x : x + w]):
            found[payload] = None
    return list(found)


def candidate_regions(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of `gray` dense with edges over a roughly square patch: where a code can be."""
    height, width = gray.shape
    small = cv2.resize(gray, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    edges = cv2.compare(cv2.morphologyEx(small, cv2.MORPH_GRADIENT, _GRADIENT), EDGE_MIN, cv2.CMP_GT)
    dense = cv2.compare(cv2.blur(edges, (DENSITY_WINDOW, DENSITY_WINDOW)), 127, cv2.CMP_GT)
    dense = cv2.morphologyEx(dense, cv2.MORPH_OPEN, _OPEN)  # lines and the outlines of shapes go
    contours, _ = cv2.findContours(dense, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if min(w, h) < REGION_MIN or max(w, h) > 4 * min(w, h):
            continue
        pad = max(w, h) // 8 + 6  # the quiet zone and the code's rim, eaten by the density window
        x0, y0 = max(0, (x - pad) * 2), max(0, (y - pad) * 2)
        x1, y1 = min(width, (x + w + pad) * 2), min(height, (y + h + pad) * 2)
        boxes.append((x0, y0, x1 - x0, y1 - y0))
    return boxes


def _scan(gray: np.ndarray) -> list[str]:
    """zbar on one grey crop binarised at the scale of its modules; a small crop also enlarged."""
    longest = max(gray.shape)
    if longest > CROP_MAX:
        gray = cv2.resize(gray, None, fx=CROP_MAX / longest, fy=CROP_MAX / longest, interpolation=cv2.INTER_AREA)
    attempts = [gray]
    if longest <= SMALL_CROP:
        attempts.append(cv2.resize(gray, None, fx=ENLARGE, fy=ENLARGE, interpolation=cv2.INTER_LINEAR))
    for image in attempts:
        block = max(15, max(image.shape) // 10) | 1  # a few modules wide, whatever the code's size
        binary = cv2.adaptiveThreshold(
            image, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, THRESHOLD_OFFSET
        )
        symbols = zbar_decode(binary, symbols=QR_ONLY)
        if symbols:
            return [_text(symbol.data) for symbol in symbols]
    return []


def _gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    if frame.shape[2] == 1:
        return frame[:, :, 0]
    return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
