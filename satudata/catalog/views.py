"""Placeholder until the public pages are written."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)
