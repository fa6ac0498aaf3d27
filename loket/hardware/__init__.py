"""Devices: the ticket printer, the QR scanner and the voice, each behind a small interface."""
