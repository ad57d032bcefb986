"""Placeholder until the rest API is written."""
from flask import Blueprint

bp = Blueprint("rest", __name__)
