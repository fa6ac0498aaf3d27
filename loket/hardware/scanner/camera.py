"""Cameras: one small interface with frames(), a real OpenCV camera or video file, an image folder, a fake."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


class CameraError(Exception):
    """The camera could not be opened or stopped sending frames."""


class Camera(ABC):
    """A source of BGR frames; a finite source (file, folder) ends, a device runs until stopped."""

    @abstractmethod
    def frames(self) -> Iterator[np.ndarray]: ...

    def describe(self) -> str:
        return type(self).__name__


class OpenCVCamera(Camera):
    """A camera device (by index) or a video file, read with cv2.VideoCapture."""

    #: Consecutive failed reads after which a device counts as unplugged (~2 s at 30 fps).
    MAX_FAILED_READS = 60

    def __init__(self, source: int | str, width: int = 1280, height: int = 720):
        self.source = source
        self.is_device = isinstance(source, int)
        if not self.is_device and not Path(source).is_file():
            raise CameraError(f"Berkas video tidak ada. (No such video file: {source})")
        self._capture = cv2.VideoCapture(source)
        if not self._capture.isOpened():
            self._capture.release()
            what = f"kamera {source}" if self.is_device else f"video {source}"
            raise CameraError(f"Tidak dapat membuka {what}. (Cannot open {'camera' if self.is_device else 'video'}.)")
        if self.is_device:
            self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)

    def frames(self) -> Iterator[np.ndarray]:
        failed = 0
        try:
            while True:
                ok, frame = self._capture.read()
                if ok:
                    failed = 0
                    yield frame
                elif not self.is_device:
                    return  # the end of the video
                else:
                    failed += 1
                    if failed >= self.MAX_FAILED_READS:
                        raise CameraError(f"Kamera {self.source} berhenti mengirim gambar. (Camera stopped.)")
                    time.sleep(0.03)
        finally:
            self.close()

    def close(self) -> None:
        self._capture.release()

    def describe(self) -> str:
        return f"camera {self.source}" if self.is_device else f"video {self.source}"


class ImageFolderCamera(Camera):
    """Every .png and .jpg image of a folder, in name order, as one frame each."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise CameraError(f"Folder gambar tidak ada. (No such image folder: {folder})")
        self.paths = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)

    def frames(self) -> Iterator[np.ndarray]:
        for path in self.paths:
            frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if frame is not None:  # a half-written or foreign file is skipped, not fatal
                yield frame

    def describe(self) -> str:
        return f"folder {self.folder} ({len(self.paths)} images)"


class FakeCamera(Camera):
    """For tests: the frames it was given, once each."""

    def __init__(self, frames: list[np.ndarray]):
        self._frames = list(frames)

    def frames(self) -> Iterator[np.ndarray]:
        yield from self._frames


def open_camera(spec: str) -> Camera:
    """A camera from the command line: "0" (a device index), a folder of images, or a video file."""
    if spec.isdigit():
        return OpenCVCamera(int(spec))
    if Path(spec).is_dir():
        return ImageFolderCamera(spec)
    return OpenCVCamera(spec)
