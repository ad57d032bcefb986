"""The ``listing`` plug-in (a plain JSON or CSV list of an OPD's datasets), served on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from harvesters import base
from harvesters.base import HarvestContext, HarvestError
from harvesters.http import GuardedSession
from harvesters.listing import ListingConfig, ListingHarvester

pytestmark = pytest.mark.nodb

ROWS = [
    {"id": "sipd-001", "judul": "Jumlah Puskesmas 2025", "deskripsi": "Per kecamatan.", "url":
     "https://opd.contoh.go.id/puskesmas.csv", "format": "csv", "tag": "kesehatan, puskesmas", "opd": "dinkes",
     "diperbarui": "2025-12-01", "satuan": "unit"},
    {"id": "sipd-002", "judul": "Panjang Jalan 2025", "url": "", "tag": "", "opd": "pupr"},
    {"id": "sipd-001", "judul": "Jumlah Puskesmas 2025 (ulang)"},
    {"judul": "Tanpa id"},
]


class Served:
    def __init__(self) -> None:
        self.body: bytes = b""
        self.kind = "application/json"
        served = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", served.kind)
                self.send_header("Content-Length", str(len(served.body)))
                self.end_headers()
                self.wfile.write(served.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/daftar"


@pytest.fixture()
def served() -> Iterator[Served]:
    s = Served()
    yield s
    s.server.shutdown()
    s.server.server_close()


def run(url: str, **config: Any) -> list[base.RemoteDataset]:
    ctx = HarvestContext(url=url, config=ListingConfig().load(config), http=GuardedSession(allow_private=True))
    plugin = ListingHarvester()
    seen: set[str] = set()
    out = []
    for item in plugin.gather(ctx):  # as the runner takes them: no id or a repeat is an error of that row
        if item.remote_id and item.remote_id not in seen:
            seen.add(item.remote_id)
            out.append(plugin.map(ctx, plugin.fetch(ctx, item)))
    return out


def test_json_list_in_a_data_key(served: Served) -> None:
    served.body = json.dumps({"data": ROWS}).encode()
    ctx = HarvestContext(url=served.url, config=ListingConfig().load({"default_tags": ["sipd"]}),
                         http=GuardedSession(allow_private=True))
    gathered = [item.remote_id for item in ListingHarvester().gather(ctx)]
    # Every row is gathered, the repeat and the row without an id too: the runner reports them.
    assert gathered.count("sipd-001") == 2 and "" in gathered
    got = run(served.url, default_tags=["sipd"])
    assert [d.remote_id for d in got] == ["sipd-001", "sipd-002"]  # the runner keeps the first of a repeat
    first = got[0]
    assert first.title == "Jumlah Puskesmas 2025" and first.tags == ["kesehatan", "puskesmas", "sipd"]
    assert first.resources[0].url == "https://opd.contoh.go.id/puskesmas.csv" and first.resources[0].format == "CSV"
    assert first.organization == {"name": "dinkes", "title": "dinkes"} and first.extras == {"satuan": "unit"}
    assert got[1].resources == []


def test_semicolon_csv_from_a_spreadsheet(served: Served) -> None:
    served.kind = "text/csv"
    served.body = ("\ufeffkode;nama;berkas\nA1;Data Curah Hujan;https://x.go.id/hujan.xlsx\n").encode()
    got = run(served.url, id_field="kode", title_field="nama", url_field="berkas")
    assert [(d.remote_id, d.title, d.resources[0].url) for d in got] == [
        ("A1", "Data Curah Hujan", "https://x.go.id/hujan.xlsx")]


def test_not_a_list_is_a_readable_error(served: Served) -> None:
    served.body = b'{"pesan": "ok"}'
    with pytest.raises(HarvestError) as refused:
        run(served.url)
    assert "bukan daftar dataset" in refused.value.message
    served.body = b"[{broken"
    with pytest.raises(HarvestError) as broken:
        run(served.url, format="json")
    assert "bukan JSON yang sah" in broken.value.message


def test_registered_beside_ckan() -> None:
    assert base.discover()["listing"] is ListingHarvester
