"""The producer's workspace: "Dataset saya", dataset forms, uploads, Table Schemas, reports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/kelola")
