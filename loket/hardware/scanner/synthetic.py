"""Synthetic camera frames with QR codes, for the tests and the benchmark."""

from __future__ import annotations

import cv2
import numpy as np
import segno

WIDTH, HEIGHT = 1280, 720
PAYLOAD = "LKT1:dukcapil:20261123:17:B-001.wlnFUnKfUaFcbC2YNpIqDQDrZECFCKoV-HKqzs9Fp6A"
OTHER_PAYLOAD = "LKT1:dukcapil:20261123:18:A-014.Qm9zc2liaWxpdHlfb2ZfYV9zZWNvbmRfY29kZV9oZXJlXw"


def qr_image(payload: str, width: int, dark: int = 0, light: int = 255) -> np.ndarray:
    """A QR code (error correction M, 4-module quiet zone) as a grey image `width` pixels wide."""
    qr = segno.make(payload, error="m", micro=False, boost_error=False)
    modules = np.array(qr.matrix, dtype=bool)
    modules = np.pad(modules, 4, constant_values=False)
    sharp = np.where(modules, 0, 255).astype(np.uint8)
    sharp = cv2.resize(sharp, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST)
    # A non-integer module size, as a camera sees it.
    image = cv2.resize(sharp, (width, width), interpolation=cv2.INTER_AREA).astype(np.float32)
    return (dark + image / 255.0 * (light - dark)).astype(np.uint8)


def rotated(image: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    """The image turned by `degrees` on a larger canvas filled with `fill` (the rest of the paper)."""
    h, w = image.shape[:2]
    side = int(np.ceil(np.hypot(w, h))) + 2
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    matrix[0, 2] += (side - w) / 2
    matrix[1, 2] += (side - h) / 2
    return cv2.warpAffine(
        image, matrix, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def cluttered_background(seed: int, low: int = 0, high: int = 255) -> np.ndarray:
    """A busy desk: shapes, lines, text and sensor noise, in grey levels between `low` and `high`."""
    rng = np.random.default_rng(seed)
    frame = np.full((HEIGHT, WIDTH, 3), rng.integers(90, 170, 3), dtype=np.uint8)
    for _ in range(40):
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        kind = rng.integers(0, 4)
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        if kind == 0:
            cv2.rectangle(frame, (x, y), (x + int(rng.integers(20, 300)), y + int(rng.integers(20, 200))), colour, -1)
        elif kind == 1:
            cv2.circle(frame, (x, y), int(rng.integers(5, 80)), colour, -1)
        elif kind == 2:
            end = (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT)))
            cv2.line(frame, (x, y), end, colour, int(rng.integers(1, 6)))
        else:
            cv2.putText(frame, "FORMULIR F-1.01", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5 + rng.random(), colour, 2)
    noise = rng.normal(0, 6, frame.shape)
    frame = np.clip(frame.astype(np.float32) + noise, 0, 255)
    return (low + frame / 255.0 * (high - low)).astype(np.uint8)


def paste(frame: np.ndarray, patch: np.ndarray, x: int, y: int) -> np.ndarray:
    """The frame with a grey patch pasted at (x, y)."""
    out = frame.copy()
    h, w = patch.shape[:2]
    out[y : y + h, x : x + w] = patch[:, :, None] if frame.ndim == 3 else patch
    return out


def camera_look(frame: np.ndarray, seed: int, sigma: float = 3.0) -> np.ndarray:
    """Sensor noise over the whole frame."""
    rng = np.random.default_rng(seed)
    return np.clip(frame.astype(np.float32) + rng.normal(0, sigma, frame.shape), 0, 255).astype(np.uint8)


def hard_cases(seed: int = 7) -> dict[str, tuple[np.ndarray, list[str]]]:
    """Named 1280x720 BGR frames and the payloads each holds."""
    bg = cluttered_background(seed)
    cases: dict[str, tuple[np.ndarray, list[str]]] = {}
    cases["plain"] = (paste(bg, qr_image(PAYLOAD, 240), 520, 240), [PAYLOAD])
    cases["small"] = (paste(bg, qr_image(PAYLOAD, 100), 830, 410), [PAYLOAD])
    cases["rotated_30"] = (paste(bg, rotated(qr_image(PAYLOAD, 180), 30), 300, 200), [PAYLOAD])
    cases["rotated_45"] = (paste(bg, rotated(qr_image(PAYLOAD, 180), 45), 760, 150), [PAYLOAD])
    blurred = paste(bg, qr_image(PAYLOAD, 200), 610, 330)
    cases["blurred"] = (cv2.GaussianBlur(blurred, (0, 0), 1.2), [PAYLOAD])
    dark_bg = cluttered_background(seed + 1, low=10, high=70)
    cases["dark"] = (paste(dark_bg, qr_image(PAYLOAD, 220, dark=35, light=85), 420, 260), [PAYLOAD])
    two = paste(bg, qr_image(PAYLOAD, 180), 140, 120)
    cases["two_codes"] = (paste(two, qr_image(OTHER_PAYLOAD, 200), 900, 400), [PAYLOAD, OTHER_PAYLOAD])
    return {name: (camera_look(frame, seed + i), expected) for i, (name, (frame, expected)) in enumerate(cases.items())}


def empty_frames(count: int = 5, seed: int = 100) -> list[np.ndarray]:
    """Cluttered frames with no code in them."""
    return [camera_look(cluttered_background(seed + i), seed + i) for i in range(count)]


def shadowed(frame: np.ndarray, x: int, y: int, size: int, strength: float) -> np.ndarray:
    """A soft diagonal shadow falling across the region at (x, y), darkening up to `strength`."""
    rows, cols = np.mgrid[0 : frame.shape[0], 0 : frame.shape[1]]
    ramp = np.clip(((cols - x) + (rows - y)) / (2 * size), 0, 1)
    return (frame.astype(np.float32) * (1 - strength * ramp)[..., None]).astype(np.uint8)


def ticket_paper(payload: str, code_width: int = 150) -> np.ndarray:
    """A printed ticket as the camera sees it: big text above and below the code on white paper."""
    paper = np.full((code_width + 270, code_width + 110), 255, np.uint8)
    cv2.putText(paper, "NOMOR ANTREAN", (10, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    cv2.putText(paper, "B-001", (40, 110), cv2.FONT_HERSHEY_SIMPLEX, 2.2, 0, 5)
    paper[130 : 130 + code_width, 55 : 55 + code_width] = qr_image(payload, code_width)
    cv2.putText(paper, "Di depan Anda: 3 orang", (10, code_width + 170), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    cv2.putText(paper, "Pencetakan KTP-el", (10, code_width + 210), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    return paper


def robustness_cases(seeds: tuple[int, ...] = (1, 2)) -> dict[str, np.ndarray]:
    """A wider sweep than hard_cases, each frame holding PAYLOAD once: where reading starts to fail."""
    cases: dict[str, np.ndarray] = {}
    for seed in seeds:
        bg = cluttered_background(seed)

        def add(name: str, frame: np.ndarray, seed: int = seed) -> None:
            cases[f"{name}/s{seed}"] = camera_look(frame, seed)

        for size in (70, 80, 90, 100, 120):
            add(f"width{size}", paste(bg, qr_image(PAYLOAD, size), 600, 300))
        for size in (300, 400, 550, 700):
            add(f"close{size}", paste(bg, qr_image(PAYLOAD, size), 20, 10))
        for degrees in (10, 20, 30, 45, 60):
            for size in (110, 150):
                add(f"rot{degrees}/width{size}", paste(bg, rotated(qr_image(PAYLOAD, size), degrees), 500, 250))
        for sigma in (1.2, 1.6, 2.0, 2.5):
            for size in (150, 200):
                blurred = cv2.GaussianBlur(paste(bg, qr_image(PAYLOAD, size), 700, 200), (0, 0), sigma)
                add(f"blur{sigma}/width{size}", blurred)
        for low, high, dark, light in ((10, 70, 35, 85), (10, 50, 25, 55), (0, 40, 20, 45), (60, 120, 70, 110)):
            dim = cluttered_background(seed + 10, low, high)
            add(f"dim{dark}-{light}", paste(dim, qr_image(PAYLOAD, 180, dark, light), 400, 300))
        for strength in (0.5, 0.7):
            add(f"shadow{strength}", shadowed(paste(bg, qr_image(PAYLOAD, 200), 500, 250), 500, 250, 200, strength))
        for quality in (30, 60):
            frame = camera_look(paste(bg, qr_image(PAYLOAD, 130), 300, 400), seed)
            encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])[1]
            cases[f"jpeg{quality}/s{seed}"] = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
        paper = ticket_paper(PAYLOAD)
        add("ticket", paste(bg, paper, 500, 150))
        add("ticket_small", paste(bg, cv2.resize(paper, None, fx=0.7, fy=0.7, interpolation=cv2.INTER_AREA), 500, 150))
        add("ticket_rot25", paste(bg, rotated(paper, 25), 400, 100))
        small_rotated = paste(bg, rotated(qr_image(PAYLOAD, 110), 30), 900, 100)
        add("width110+rot30+blur1.0", cv2.GaussianBlur(small_rotated, (0, 0), 1.0))
    return cases
