"""WSGI entry point for gunicorn: `gunicorn --worker-class gthread --threads 64 wsgi:app`."""

from app import create_app

app = create_app()
