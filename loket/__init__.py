"""Loket: self-service kiosk and queue system for Indonesian civil-registration offices.

The application factory is `loket.app.create_app`; this package file stays free of
imports so that `import loket.core…` never pulls in Flask.
"""

__version__ = "0.2.0"
