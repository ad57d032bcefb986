"""Placeholder until the ckan API is written."""
from flask import Blueprint

bp = Blueprint("ckan", __name__)
