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


# The benchmark set of issue 12: 12 kinds of hard frame, 8 of each, their conditions drawn at random
# from ranges set by what a counter's camera meets (not by what a reader manages).

CATEGORIES = (
    "plain",
    "small",
    "close",
    "rotated",
    "skewed",
    "blurred",
    "dark",
    "shadow",
    "glare",
    "two_codes",
    "phone_screen",
    "crumpled",
)
PER_CATEGORY = 8


def tilted(image: np.ndarray, tilt: float, turn: float, spin: float, fill: int = 255) -> np.ndarray:
    """The image as a camera sees paper tilted `tilt` degrees away about an axis at `turn` degrees, then spun."""
    h, w = image.shape[:2]
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]], np.float64)
    axis = np.array([np.cos(np.radians(turn)), np.sin(np.radians(turn)), 0.0])
    rotation, _ = cv2.Rodrigues(axis * np.radians(tilt))
    spin_matrix, _ = cv2.Rodrigues(np.array([0.0, 0.0, np.radians(spin)]))
    focal = 1000.0  # a webcam's focal length in pixels at 1280x720 (~65 degrees across)
    distance = focal  # the patch's centre at the distance where it shows at its own size
    points = corners @ rotation.T @ spin_matrix.T
    projected = points[:, :2] * (focal / (distance + points[:, 2:3]))
    projected -= projected.min(axis=0)
    size = np.ceil(projected.max(axis=0)).astype(int) + 2
    matrix = cv2.getPerspectiveTransform(
        np.float32([[0, 0], [w, 0], [w, h], [0, h]]), (projected + 1).astype(np.float32)
    )
    return cv2.warpPerspective(image, matrix, (int(size[0]), int(size[1])), flags=cv2.INTER_AREA, borderValue=fill)


def crumpled(image: np.ndarray, rng: np.random.Generator, module: float, folds: int, bend: float) -> np.ndarray:
    """Paper crumpled and held flat again: a bumpy surface, `folds` creases, light and shade on each facet.

    The bumps move the paper up to `bend` modules; each crease bends it 12-30 degrees (the far side
    foreshortened) and leaves a thin line of shadow or light along the fold.
    """
    h, w = image.shape[:2]
    pad = int(module * 6)
    paper = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255).astype(np.float32)
    h, w = paper.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    map_x, map_y = xs.copy(), ys.copy()
    shade = np.ones((h, w), np.float32)
    # Bumps: a smooth random field, a few bumps across the code.
    for target, amplitude in ((map_x, bend * module), (map_y, bend * module)):
        field = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), w / 8)
        field *= amplitude / (np.abs(field).max() + 1e-6)
        target += field
    bumps = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), w / 10)
    shade *= 1 + 0.12 * bumps / (np.abs(bumps).max() + 1e-6)
    # Creases: straight folds across the paper.
    for _ in range(folds):
        angle = rng.uniform(0, np.pi)
        normal = np.array([np.cos(angle), np.sin(angle)], np.float32)
        through = rng.uniform(0.25, 0.75, 2) * (w, h)
        side = (xs - through[0]) * normal[0] + (ys - through[1]) * normal[1]
        fold = np.radians(rng.uniform(12, 30))
        beyond = np.maximum(side, 0) * (1 / np.cos(fold) - 1)  # the far facet, foreshortened
        map_x += normal[0] * beyond
        map_y += normal[1] * beyond
        facet = rng.uniform(0.8, 1.1)
        shade *= np.where(side > 0, facet, 1.0)
        line = np.exp(-(side**2) / (2 * rng.uniform(0.6, 1.5) ** 2))
        shade *= 1 + rng.choice([-0.35, 0.25]) * line
    warped = cv2.remap(paper, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return np.clip(warped * shade, 0, 255).astype(np.uint8)


def glared(patch: np.ndarray, rng: np.random.Generator, size: float, strength: float) -> np.ndarray:
    """A light's reflection on glossy thermal paper: an elliptic highlight that saturates what it covers."""
    h, w = patch.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    angle = rng.uniform(0, np.pi)
    u = (xs - cx) * np.cos(angle) + (ys - cy) * np.sin(angle)
    v = -(xs - cx) * np.sin(angle) + (ys - cy) * np.cos(angle)
    sigma = size * w
    light = strength * np.exp(-(u**2 / (2 * sigma**2) + v**2 / (2 * (sigma * rng.uniform(0.4, 0.8)) ** 2)))
    return np.clip(patch.astype(np.float32) + light, 0, 255).astype(np.uint8)


def phone_screen(payload: str, rng: np.random.Generator, code_width: int) -> np.ndarray:
    """A phone showing the code, as a camera sees it: bezel, a lit screen's pixel grid (moire), reflection."""
    scale = 4  # drawn at 4x, then shrunk as the camera's sensor would
    code = qr_image(payload, code_width * scale)
    screen_w, screen_h = int(code_width * 1.4) * scale, int(code_width * 2.0) * scale
    screen = np.full((screen_h, screen_w), 250, np.float32)
    top = int(screen_h * rng.uniform(0.15, 0.3))
    left = (screen_w - code.shape[1]) // 2
    screen[top : top + code.shape[0], left : left + code.shape[1]] = code
    # The screen's pixels: dark gaps between them, a pitch near the camera's own (the moire).
    pitch = rng.uniform(2.6, 4.4)
    ys, xs = np.mgrid[0:screen_h, 0:screen_w].astype(np.float32)
    grid = (0.55 + 0.45 * np.abs(np.sin(np.pi * xs / pitch))) * (0.7 + 0.3 * np.abs(np.sin(np.pi * ys / pitch)))
    lit = screen * grid
    # Blacks lifted by the room's light on the glass, whites driven past the sensor's range.
    lit = rng.uniform(30, 60) + lit * rng.uniform(1.0, 1.4)
    reflection = rng.uniform(20, 60) * np.clip(
        1 - np.abs(xs / screen_w - ys / screen_h - rng.uniform(-0.3, 0.3)) * 3, 0, 1
    )
    lit = np.clip(lit + reflection, 0, 255)
    bezel = int(code_width * 0.12) * scale
    phone = np.full((screen_h + 4 * bezel, screen_w + 2 * bezel), 20, np.float32)
    phone[2 * bezel : 2 * bezel + screen_h, bezel : bezel + screen_w] = lit
    phone = tilted(phone.astype(np.uint8), rng.uniform(0, 25), rng.uniform(0, 180), rng.uniform(-25, 25), fill=0)
    phone = cv2.resize(phone, None, fx=1 / scale, fy=1 / scale, interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(phone, (0, 0), 0.7)  # a lens focused on a glowing screen


def paste_masked(frame: np.ndarray, patch: np.ndarray, x: int, y: int, mask: np.ndarray) -> np.ndarray:
    """The frame with a grey patch pasted at (x, y) where `mask` is set (a shape that is not a rectangle)."""
    out = frame.copy()
    h, w = patch.shape[:2]
    region = out[y : y + h, x : x + w]
    region[mask] = patch[mask][:, None] if frame.ndim == 3 else patch[mask]
    return out


def _motion_blur(frame: np.ndarray, length: int, angle: float) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    matrix = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, matrix, (length, length))
    return cv2.filter2D(frame, -1, kernel / kernel.sum())


def _place(rng: np.random.Generator, patch: np.ndarray) -> tuple[int, int]:
    h, w = patch.shape[:2]
    return int(rng.integers(0, WIDTH - w)), int(rng.integers(0, HEIGHT - h))


def _paper(rng: np.random.Generator, width: int) -> np.ndarray:
    """The code alone on white paper, or the whole ticket around it (its text is edges too)."""
    if rng.random() < 0.5:
        return ticket_paper(PAYLOAD, width)
    return qr_image(PAYLOAD, width)


def benchmark_frame(category: str, index: int) -> tuple[np.ndarray, list[str]]:
    """Frame `index` (0-7) of one category: a 1280x720 BGR frame and the payloads in it."""
    seed = 1000 * (CATEGORIES.index(category) + 1) + index
    rng = np.random.default_rng(seed)
    bg = cluttered_background(seed)
    expected = [PAYLOAD]
    noise = 3.0
    if category == "plain":
        patch = _paper(rng, int(rng.integers(140, 260)))
        frame = paste(bg, patch, *_place(rng, patch))
    elif category == "small":  # 2.0-2.6 px a module: a code far from the camera
        patch = rotated(qr_image(PAYLOAD, int(rng.integers(90, 118))), rng.uniform(-10, 10))
        frame = paste(bg, patch, *_place(rng, patch))
    elif category == "close":  # held up to the lens: the code fills most of the frame's height
        patch = qr_image(PAYLOAD, int(rng.integers(420, 700)))
        frame = paste(
            bg, patch, int(rng.integers(0, WIDTH - patch.shape[1])), int(rng.integers(0, 720 - patch.shape[0] + 1))
        )
    elif category == "rotated":
        patch = rotated(_paper(rng, int(rng.integers(110, 200))), rng.uniform(10, 350))
        frame = paste(bg, patch, *_place(rng, patch))
    elif category == "skewed":  # the ticket held at an angle to the lens
        patch = tilted(
            _paper(rng, int(rng.integers(150, 230))), rng.uniform(35, 60), rng.uniform(0, 180), rng.uniform(-30, 30)
        )
        frame = paste(bg, patch, *_place(rng, patch))
    elif category == "blurred":  # out of focus (first four) or moved during the exposure (last four)
        patch = _paper(rng, int(rng.integers(150, 230)))
        frame = paste(bg, patch, *_place(rng, patch))
        if index < 4:
            frame = cv2.GaussianBlur(frame, (0, 0), rng.uniform(1.2, 2.2))
        else:
            frame = _motion_blur(frame, int(rng.integers(5, 10)), rng.uniform(0, 180))
    elif category == "dark":  # a dim hall: low contrast, more sensor noise
        low, high = int(rng.integers(5, 30)), int(rng.integers(50, 90))
        dim = cluttered_background(seed, low, high)
        dark, light = int(rng.integers(low + 10, low + 30)), int(rng.integers(high - 5, high + 15))
        patch = rotated(qr_image(PAYLOAD, int(rng.integers(150, 230)), dark, light), rng.uniform(-15, 15), fill=light)
        frame = paste(dim, patch, *_place(rng, patch))
        noise = rng.uniform(4, 6)
    elif category == "shadow":  # a hand or the monitor's shadow across the code, soft or sharp
        patch = _paper(rng, int(rng.integers(150, 230)))
        x, y = _place(rng, patch)
        frame = paste(bg, patch, x, y)
        strength = rng.uniform(0.45, 0.75)
        if index % 2:
            frame = shadowed(frame, x, y, max(patch.shape), strength)
        else:
            rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
            edge = rng.uniform(0.3, 0.7) * patch.shape[1] + x
            slope = rng.uniform(-0.8, 0.8)
            dark = cols > edge + slope * (rows - y)
            frame = (frame * np.where(dark, 1 - strength, 1.0)[..., None]).astype(np.uint8)
    elif category == "glare":  # the ceiling light reflected by glossy thermal paper
        patch = _paper(rng, int(rng.integers(160, 240)))
        patch = glared(patch, rng, rng.uniform(0.08, 0.16), rng.uniform(120, 260))
        frame = paste(bg, patch, *_place(rng, patch))
    elif category == "two_codes":
        first = rotated(qr_image(PAYLOAD, int(rng.integers(120, 220))), rng.uniform(-30, 30))
        second = rotated(qr_image(OTHER_PAYLOAD, int(rng.integers(120, 220))), rng.uniform(-30, 30))
        x = int(rng.integers(0, WIDTH // 2 - first.shape[1]))
        frame = paste(bg, first, x, int(rng.integers(0, HEIGHT - first.shape[0])))
        x = int(rng.integers(WIDTH // 2, WIDTH - second.shape[1]))
        frame = paste(frame, second, x, int(rng.integers(0, HEIGHT - second.shape[0])))
        expected = [PAYLOAD, OTHER_PAYLOAD]
    elif category == "phone_screen":  # a resident shows the ticket on a phone
        patch = phone_screen(PAYLOAD, rng, int(rng.integers(120, 180)))
        x, y = _place(rng, patch)
        frame = paste_masked(bg, patch, x, y, patch > 0)
    elif category == "crumpled":  # a ticket kept in a pocket, flattened in the hand
        width = int(rng.integers(160, 230))
        module = width / 45
        patch = crumpled(_paper(rng, width), rng, module, int(rng.integers(2, 5)), rng.uniform(0.3, 0.8))
        patch = rotated(patch, rng.uniform(-20, 20))
        frame = paste(bg, patch, *_place(rng, patch))
    else:
        raise ValueError(category)
    return camera_look(frame, seed, noise), expected


def benchmark_cases() -> dict[str, tuple[np.ndarray, list[str]]]:
    """All 96 frames of the benchmark set, named "category/index"."""
    return {
        f"{category}/{index}": benchmark_frame(category, index)
        for category in CATEGORIES
        for index in range(PER_CATEGORY)
    }
