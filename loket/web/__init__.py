"""Glue shared by the blueprints: extensions, login, publishing events."""
