"""The portal's JSON answers (``PortalJSON``, orjson) say what Flask's own JSON would: the same
document for dates, decimals, UUIDs, dataclasses, markup, numeric keys and Indonesian text."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from satudata.portal import PortalJSON


@dataclass
class Titik:
    lat: float
    lon: float


def test_the_same_document_as_flask_would_write(app: Any) -> None:
    value = {
        "judul": "Angka Partisipasi Sekolah — Kabupaten Rokan Hilir (é, ñ)",
        "diperbarui": datetime(2026, 12, 4, 10, 30, tzinfo=UTC),
        "tanggal": date(2026, 12, 4),
        "nilai": Decimal("8.440"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lokasi": Titik(1.5, 101.4),
        "html": Markup("<b>tebal</b>"),
        "z": [1, 2.5, None, True, {"b": 1, "a": 2}],
    }
    ours = PortalJSON(app).response(value)
    flask = DefaultJSONProvider(app).response(value)
    assert ours.mimetype == "application/json"
    assert json.loads(ours.get_data()) == json.loads(flask.get_data())
    assert list(json.loads(ours.get_data())) == sorted(str(k) for k in value)  # keys sorted, as Flask does


def test_numeric_keys_nan_and_huge_integers(app: Any) -> None:
    assert json.loads(PortalJSON(app).response({2024: "tahun", 2023: "lalu"}).get_data()) == {"2023": "lalu", "2024": "tahun"}
    assert json.loads(PortalJSON(app).response({"nan": float("nan")}).get_data()) == {"nan": None}  # valid JSON
    assert json.loads(PortalJSON(app).response({"besar": 2**70}).get_data()) == {"besar": 2**70}  # Flask writes it


def test_the_app_answers_with_it(app: Any) -> None:
    assert isinstance(app.json, PortalJSON)
    body = app.test_client().get("/api/3/action/package_list").data
    assert body.startswith(b'{"help":') and body.endswith(b"}\n")
