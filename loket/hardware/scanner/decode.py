"""Find QR codes in camera frames: zxing-cpp over the whole frame, then harder looks only where it failed.

zxing-cpp reads a 1280x720 frame in ~2 ms (its own local binariser, rotation-free QR detector and a
downscaled pass for codes held close), and most frames end there. When it saw a code it could not
decode (its finder patterns and version, but a checksum error) the code is sampled again on a grid
that bends with the paper (a crumpled ticket); when it read nothing, the old search for patches
dense with edges crops the likely places, and each crop is tried again, re-binarised at the scale
of its modules, by zxing and last by zbar (an independent second reader; on the benchmark's frames
it added no read). A frame where zxing read a code is not searched for a second code it did not
even see. Every payload returned has passed its code's Reed-Solomon check in zxing or zbar (bench/decode.py
compares the readers; the decoder before this one is bench/decode_baseline.py).
"""

from __future__ import annotations

import io
from collections import deque

import cv2
import numpy as np
import zxingcpp
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

QR_ONLY = [ZBarSymbol.QRCODE]
EDGE_MIN = 16  # grey-level step between neighbours (at half size) that counts as an edge
DENSITY_WINDOW = 11  # px at half size
REGION_MIN = 20  # px at half size: a code under ~50 px wide in the frame is too small to read anyway
SMALL_CROP = 200  # crops up to this size are also scanned enlarged: modules of ~2 px are missed
ENLARGE = 1.5  # as good as 2x on the sweep in bench/decode.py, at half the pixels
CROP_MAX = 640  # bigger crops (a code held close to the camera) are shrunk to this first
THRESHOLD_OFFSET = 4  # grey levels below the local mean that count as dark: keeps sensor noise white
MODULE_PX = 8  # px per module when a damaged code is sampled again
# (tile, search) of the bending grid: tiles of 3-5 modules, each boundary moved up to 2-3 px (of 8)
# from its neighbour's; small tiles follow sharp creases, larger ones hold on through glare or blur.
BENDS = ((3, 3), (4, 2), (5, 2))
DRIFT_MAX = 3  # modules a tile's edges may move from where the corners' homography puts them
MAX_DAMAGED = 3  # codes seen but not read that are sampled again, per frame
_GRADIENT = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
_OPEN = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
_QR = zxingcpp.BarcodeFormat.QRCode

Box = tuple[int, int, int, int]  # x0, y0, x1, y1


def decode(frame: np.ndarray) -> list[str]:
    """QR payloads in a BGR, BGRA or grey frame of any size, each once, in the order found."""
    gray = _gray(frame)
    found: dict[str, None] = {}
    read: list[Box] = []
    damaged: list[tuple[np.ndarray, int]] = []
    for code in _zxing(gray, return_errors=True):
        if code.valid:
            found[_text(code.bytes)] = None
            read.append(_box(_corners(code.position)))
        elif len(damaged) < MAX_DAMAGED and (version := _version(code)):
            damaged.append((_corners(code.position), version))
    damaged = [(quad, version) for quad, version in damaged if not _covered(_box(quad), read)]
    if found and not damaged:
        return list(found)
    for quad, version in damaged:
        for payload in _sample_bent(gray, quad, 17 + 4 * version):
            found[payload] = None
            read.append(_box(quad))
    if found or min(gray.shape) < 4 * REGION_MIN:
        return list(found)
    # Nothing read: the likely places, each on its own.
    for x, y, w, h in candidate_regions(gray):
        if _covered((x, y, x + w, y + h), read):
            continue
        for payload in _scan(gray[y : y + h, x : x + w]):
            found[payload] = None
    return list(found)


#: The largest picture decode_image() unpacks (a 4K frame): a small PNG may claim a huge size and unpack to GBs.
MAX_IMAGE_PIXELS = 3840 * 2160


def decode_image(data: bytes) -> list[str] | None:
    """QR payloads in a JPEG or PNG file's bytes (a webcam frame a page sent), or None when it is no such
    picture or larger than MAX_IMAGE_PIXELS (its header is read before any pixel is unpacked)."""
    try:
        with Image.open(io.BytesIO(data)) as header:
            if header.format not in ("JPEG", "PNG") or header.width * header.height > MAX_IMAGE_PIXELS:
                return None
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    frame = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return None if frame is None else decode(frame)


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


def _zxing(gray: np.ndarray, **options: object) -> list[zxingcpp.Barcode]:
    """zxing-cpp's QR reader; printed tickets are dark on light, so no inverted pass (half the time)."""
    return zxingcpp.read_barcodes(gray, formats=_QR, try_rotate=False, try_invert=False, **options)


def _zbar(gray: np.ndarray) -> list[str]:
    return [_text(symbol.data) for symbol in zbar_decode(gray, symbols=QR_ONLY)]


def _scan(gray: np.ndarray) -> list[str]:
    """One grey crop read by zxing, then binarised at the scale of its modules for zxing and zbar.

    A small crop is also tried enlarged (modules of ~2 px). zbar reads what zxing misses on none of
    the benchmark's frames, but it is a second, independent sampler, and on a crop it costs ~0.5 ms.
    """
    longest = max(gray.shape)
    if longest > CROP_MAX:
        gray = cv2.resize(gray, None, fx=CROP_MAX / longest, fy=CROP_MAX / longest, interpolation=cv2.INTER_AREA)
    # Alone, a dim code is no longer a small part of a bright frame to zxing's binariser.
    payloads = [_text(code.bytes) for code in _zxing(gray, try_downscale=False) if code.valid]
    if payloads:
        return payloads
    binary = _binarised(gray)
    payloads = [_text(code.bytes) for code in _zxing(binary, try_downscale=False) if code.valid]
    if not payloads and longest <= SMALL_CROP:
        enlarged = _binarised(cv2.resize(gray, None, fx=ENLARGE, fy=ENLARGE, interpolation=cv2.INTER_LINEAR))
        payloads = [_text(code.bytes) for code in _zxing(enlarged, try_downscale=False) if code.valid]
    return payloads or _zbar(binary)


def _binarised(gray: np.ndarray) -> np.ndarray:
    """Black and white by the local mean over a few modules, whatever the code's size: shadows and dim light go."""
    block = max(15, max(gray.shape) // 10) | 1
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, THRESHOLD_OFFSET)


def _sample_bent(gray: np.ndarray, quad: np.ndarray, size: int) -> list[str]:
    """A code zxing found but could not decode, sampled module by module on a grid that follows the paper.

    The code is straightened by the homography of its corners, then each tile of a few modules finds
    where its module edges really are (the strongest grey-level steps near its neighbour's), starting
    from the finder pattern in the corner, so a crease or a bump moves the grid with it. The modules
    are drawn as a clean code and read by zxing, whose Reed-Solomon check refuses a wrong sampling.
    """
    s = MODULE_PX
    side = (size + 2) * s
    target = np.float32([[s, s], [(size + 1) * s, s], [(size + 1) * s, (size + 1) * s], [s, (size + 1) * s]])
    straight = cv2.warpPerspective(
        gray, cv2.getPerspectiveTransform(quad, target), (side, side), flags=cv2.INTER_LINEAR, borderValue=255
    ).astype(np.float32)
    steps_x = np.abs(np.diff(straight, axis=1, append=straight[:, -1:]))  # the step between x and x + 1
    steps_y = np.abs(np.diff(straight, axis=0, append=straight[-1:, :]))
    centres = cv2.blur(straight, (3, 3))
    local_mean = cv2.GaussianBlur(straight, (0, 0), 3 * s)
    for tile, search in BENDS:
        shift_x, shift_y = _grid_shifts(steps_x, steps_y, size, tile, search)
        rows, cols = np.mgrid[0:size, 0:size].astype(np.float32)
        at_x = (cols + 1.5) * s + cv2.resize(shift_x, (size, size), interpolation=cv2.INTER_LINEAR)
        at_y = (rows + 1.5) * s + cv2.resize(shift_y, (size, size), interpolation=cv2.INTER_LINEAR)
        dark = cv2.remap(centres, at_x, at_y, cv2.INTER_LINEAR) < cv2.remap(local_mean, at_x, at_y, cv2.INTER_LINEAR)
        clean = np.where(np.pad(dark, 4), 0, 255).astype(np.uint8)
        clean = cv2.resize(clean, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)
        payloads = [_text(code.bytes) for code in _zxing(clean, is_pure=True, try_downscale=False) if code.valid]
        if payloads:
            return payloads
    return []


def _grid_shifts(
    steps_x: np.ndarray, steps_y: np.ndarray, size: int, tile: int, search: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per tile of `tile` x `tile` modules, the shift in px of its module edges (x and y), grown from the corner."""
    s = MODULE_PX
    count = -(-size // tile)
    reach = DRIFT_MAX * s
    shifts = np.arange(-reach, reach + 1)
    # The step just after each module of each tile and the first of the next (-1 past the code's end),
    # for every shift; module 0 is the margin the straightened image keeps around the code.
    first = np.arange(count)[:, None] * tile + 1
    modules = first + np.arange(tile + 1)
    last = np.minimum(size + 1, first + tile)
    at = np.where(modules <= last, (modules + 1) * s - 1 + reach, -1)
    at = np.where(at[:, :, None] >= 0, at[:, :, None] + shifts, -1)
    # Column profiles of each band of tile rows, row profiles of each band of tile columns, and the
    # score of every shift of every tile in them: how strong the steps are where its edges would be.
    bands = [slice(i * tile * s, (1 + min(size, (i + 1) * tile + 1)) * s) for i in range(count)]
    score_x = [_edge_scores(steps_x[band, :].sum(axis=0), at, reach) for band in bands]
    score_y = [_edge_scores(steps_y[:, band].sum(axis=1), at, reach) for band in bands]

    def best(scores: np.ndarray, guess: int) -> int:
        low, high = max(-reach, guess - search), min(reach, guess + search)
        return low + int(np.argmax(scores[low + reach : high + reach + 1]))

    shift_x = np.zeros((count, count), np.float32)
    shift_y = np.zeros((count, count), np.float32)
    done = np.zeros((count, count), bool)
    done[0, 0] = True  # the finder pattern's corner: where the homography is surest
    queue = deque([(0, 0)])
    while queue:
        i, j = queue.popleft()
        for a, b in ((i, j + 1), (i + 1, j), (i, j - 1), (i - 1, j)):
            if 0 <= a < count and 0 <= b < count and not done[a, b]:
                shift_x[a, b] = best(score_x[a][b], int(shift_x[i, j]))
                shift_y[a, b] = best(score_y[b][a], int(shift_y[i, j]))
                done[a, b] = True
                queue.append((a, b))
    return shift_x, shift_y


def _edge_scores(profile: np.ndarray, at: np.ndarray, reach: int) -> np.ndarray:
    """Sum of `profile` at the positions `at` (tile, module, shift; -1 for none), per tile and shift."""
    padded = np.concatenate([np.zeros(reach), profile, np.zeros(reach + 1)])
    padded[-1] = 0  # where -1 points
    return padded[at].sum(axis=1)


def _version(code: zxingcpp.Barcode) -> int:
    """The QR version (1-40) zxing read from a code it could not decode; 0 for a micro or rectangular code."""
    version = code.extra.get("Version", "")
    return int(version) if isinstance(version, str) and version.isdigit() and 1 <= int(version) <= 40 else 0


def _corners(position: zxingcpp.Position) -> np.ndarray:
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return np.float32([[point.x, point.y] for point in corners])


def _box(quad: np.ndarray) -> Box:
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    return int(x0), int(y0), int(x1), int(y1)


def _covered(box: Box, read: list[Box]) -> bool:
    """Whether the centre of `box` lies inside a code already read."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in read)


def _gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    if frame.shape[2] == 1:
        return frame[:, :, 0]
    return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
