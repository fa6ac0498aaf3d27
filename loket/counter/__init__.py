"""The counter pages."""
