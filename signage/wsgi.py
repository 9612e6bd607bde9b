"""WSGI entry point for gunicorn: `gunicorn signage.wsgi:app`."""

from signage import create_app

app = create_app()
