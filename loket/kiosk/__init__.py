"""The kiosk pages."""
