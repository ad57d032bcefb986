"""Search pages that are not the public catalogue listing: suggestions while typing and the
walidata's synonym list."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__)
