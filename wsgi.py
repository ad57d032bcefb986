"""WSGI entry point: ``gunicorn wsgi:app``."""

from satudata import create_app

app = create_app()
