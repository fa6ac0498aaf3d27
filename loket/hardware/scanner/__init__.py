"""The QR scanner: decoding camera frames (zxing-cpp, pyzbar), cameras (OpenCV), and the agent that sends codes."""

from .agent import ScanResult, http_poster, run_agent
from .camera import Camera, CameraError, FakeCamera, ImageFolderCamera, OpenCVCamera, open_camera
from .decode import decode

__all__ = [
    "Camera",
    "CameraError",
    "FakeCamera",
    "ImageFolderCamera",
    "OpenCVCamera",
    "ScanResult",
    "decode",
    "http_poster",
    "open_camera",
    "run_agent",
]
