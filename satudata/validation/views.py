"""The data-standards library in the UI: walidata and admins browse, add and version the
standard Table Schemas."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("standards", __name__)
