"""WSGI entry point for gunicorn: `gunicorn --worker-class gthread --threads 64 loket.wsgi:app`."""

from loket.app import create_app

app = create_app()
