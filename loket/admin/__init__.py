"""The office's administration pages."""
