"""The ``sipd`` harvester plug-in against an SIPD e-Walidata-shaped API served on 127.0.0.1 (the
shape the peer portals read: ``get_ref_dssd`` and ``get_dssd_final``, bare JSON arrays, a
Bearer token): the reference list and each year's final values become one record per
indicator; the token is sent; paging when asked; a source that is down, slow, answers HTML or
changes its shape stops with a sentence saying what was expected; empty values make items only."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from harvesters import base
from harvesters.base import HarvestContext, HarvestError
from harvesters.http import FetchError, GuardedSession
from harvesters.sipd import SipdConfig, SipdHarvester, allowed_hosts, bidang_code, number, url_problem

pytestmark = pytest.mark.nodb

TOKEN = "token-uji-sipd"
KODEPEMDA = "1407"  # Kabupaten Rokan Hilir
KESEHATAN = "1.02 - URUSAN PEMERINTAHAN BIDANG KESEHATAN"
PENDIDIKAN = "1.01 - URUSAN PEMERINTAHAN BIDANG PENDIDIKAN"


def reference() -> list[dict[str, Any]]:
    """``get_ref_dssd`` of a kabupaten: three indicators of two bidang urusan."""
    return [
        {"kodeindikator": "1.02.01", "uraian_indikator": "Jumlah puskesmas", "satuan": "Unit",
         "bidangurusan": KESEHATAN,
         "mendukung_subkegiatan": [{"kodesubkegiatan": "1.02.02.2.01.0001", "uraisubkegiatan": "Pembangunan Puskesmas"}]},
        {"kodeindikator": "1.02.02", "uraian_indikator": "Angka kematian bayi", "satuan": "per 1.000 kelahiran hidup",
         "bidangurusan": KESEHATAN, "definisi_operasional": "Kematian bayi di bawah satu tahun per 1.000 kelahiran hidup.",
         "mendukung_subkegiatan": []},
        {"kodeindikator": "1.01.01", "uraian_indikator": "Jumlah sekolah dasar negeri", "satuan": "Unit",
         "bidangurusan": PENDIDIKAN, "mendukung_subkegiatan": []},
    ]


def final_row(code: str, title: str, year: int, value: str, unit: str = "Unit") -> dict[str, Any]:
    return {"idtransaksi": f"trx-{code}-{year}", "kodebidang": code[:4], "uraibidang": "KESEHATAN",
            "kodeindikator": code, "uraian_indikator": title, "satuan": unit, "tahun": str(year), "data": value,
            "tanggal_verifikasi_walidata": f"{year + 1}-03-01 10:00:00", "tanggal_verifikasi_pembinadata": None}


def finals() -> dict[int, list[dict[str, Any]]]:
    """``get_dssd_final`` by year: values for the health indicators, none for schools."""
    return {
        2023: [final_row("1.02.01", "Jumlah puskesmas", 2023, "24")],
        2024: [final_row("1.02.01", "Jumlah puskesmas", 2024, "25"),
               final_row("1.02.02", "Angka kematian bayi", 2024, "12,5", "per 1.000 kelahiran hidup")],
    }


class FakeSipd:
    """SIPD e-Walidata's ``/ewalidata/serv`` in a thread; ``mode`` changes how it behaves."""

    def __init__(self, ref: list[dict[str, Any]] | None = None,
                 final: dict[int, list[dict[str, Any]]] | None = None, token: str = TOKEN) -> None:
        self.ref = reference() if ref is None else ref
        self.final = finals() if final is None else final
        self.token = token
        self.mode = "ok"
        self.delay = 0.0
        self.calls: list[tuple[str, dict[str, list[str]], str | None]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                params = parse_qs(parts.query)
                fake.calls.append((parts.path, params, self.headers.get("Authorization")))
                if fake.delay:
                    time.sleep(fake.delay)
                status, body, kind = fake.answer(parts.path, params, self.headers.get("Authorization"))
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting (the slow case)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/ewalidata/serv"

    def answer(self, path: str, params: dict[str, list[str]], auth: str | None) -> tuple[int, Any, str]:
        ok = "application/json"
        if self.mode == "html":
            return 200, "<!DOCTYPE html><html><body>Halaman login SIPD</body></html>", "text/html; charset=utf-8"
        if auth != f"Bearer {self.token}":
            return 401, {"status": False, "message": "Token tidak valid"}, ok
        if params.get("kodepemda", [""])[0] != KODEPEMDA:
            return 200, {"status": False, "message": "kodepemda tidak ditemukan"}, ok
        if path.endswith("/get_ref_dssd"):
            rows = copy.deepcopy(self.ref)
            if self.mode == "shape":  # Kemendagri renamed the keys
                rows = [{"kode_indikator": r["kodeindikator"], "nama_indikator": r["uraian_indikator"]} for r in rows]
        elif path.endswith("/get_dssd_final"):
            if self.mode == "final_down":
                return 503, "Service Unavailable", "text/plain"
            rows = copy.deepcopy(self.final.get(int(params.get("tahun", ["0"])[0]), []))
        else:
            return 404, {"status": False, "message": "Not found"}, ok
        if "limit" in params:
            limit, offset = int(params["limit"][0]), int(params.get("offset", ["0"])[0])
            total = len(rows)
            rows = [{**r, "rownum": offset + i + 1, "rowtotal": total} for i, r in enumerate(rows[offset:offset + limit])]
        return 200, rows, ok

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def sipd() -> Iterator[FakeSipd]:
    fake = FakeSipd()
    yield fake
    fake.close()


def ctx_for(url: str, *, token: str | None = TOKEN, timeout: float = 5, **config: Any) -> HarvestContext:
    config.setdefault("tahun", [2023, 2024])
    # 127.0.0.1 is named explicitly, as an operator would name another SIPD host: the check runs.
    settings = {"kodepemda": KODEPEMDA, "allowed_hosts": "127.0.0.1", **({"token": token} if token else {})}
    return HarvestContext(url=url, config=SipdConfig().load(config), settings=settings,
                          http=GuardedSession(allow_private=True, backoff=0, retries=1, timeout=timeout))


def records(ctx: HarvestContext) -> dict[str, Any]:
    plugin = SipdHarvester()
    return {g.remote_id: plugin.map(ctx, plugin.fetch(ctx, g)) for g in plugin.gather(ctx)}


def test_the_plugin_is_registered_and_keeps_the_contract() -> None:
    assert base.discover().get("sipd") is SipdHarvester
    assert isinstance(SipdHarvester(), base.Harvester)
    assert SipdHarvester.default_publish_mode == "review"


def test_reference_list_and_final_values_become_one_record_per_indicator(sipd: FakeSipd) -> None:
    found = records(ctx_for(sipd.url))
    assert list(found) == ["1.02.01", "1.02.02", "1.01.01"]
    # The token went as a Bearer header on every request; the region code and years as the query.
    assert {auth for _, _, auth in sipd.calls} == {f"Bearer {TOKEN}"}
    assert [(p.rsplit("/", 1)[1], q.get("tahun")) for p, q, _ in sipd.calls] == [
        ("get_ref_dssd", None), ("get_dssd_final", ["2023"]), ("get_dssd_final", ["2024"])]
    assert all(q["kodepemda"] == [KODEPEMDA] for _, q, _ in sipd.calls)

    puskesmas = found["1.02.01"]
    assert puskesmas.title == "Jumlah puskesmas" and puskesmas.makes_dataset
    assert puskesmas.organization == {"name": "1.02", "title": KESEHATAN}
    assert [(d.remote_id, d.year, d.unit, d.indicator, d.element, d.has_values) for d in puskesmas.daftar] == [
        ("1.02.01@2023", 2023, "Unit", "1.02.01", KESEHATAN, True),
        ("1.02.01@2024", 2024, "Unit", "1.02.01", KESEHATAN, True)]
    assert puskesmas.table is not None
    assert [f["name"] for f in puskesmas.table.fields] == ["tahun", "kode_wilayah", "kode_indikator",
                                                           "uraian_indikator", "nilai", "satuan"]
    assert [(r["tahun"], r["kode_wilayah"], r["nilai"]) for r in puskesmas.table.rows] == [(2023, "1407", 24),
                                                                                           (2024, "1407", 25)]
    assert puskesmas.year == 2024 and puskesmas.frequency == "tahunan"
    assert puskesmas.extras["satuan"] == "Unit" and puskesmas.extras["sumber_data"] == "SIPD e-Walidata Kemendagri"

    bayi = found["1.02.02"]
    assert bayi.table is not None and bayi.table.rows[0]["nilai"] == 12.5  # "12,5" read as a number
    assert [d.has_values for d in bayi.daftar] == [False, True]  # 2023 planned, no value yet
    assert bayi.description.startswith("Kematian bayi di bawah satu tahun")

    sekolah = found["1.01.01"]  # no final values: Daftar Data only
    assert not sekolah.makes_dataset and sekolah.table is None
    assert [d.year for d in sekolah.daftar] == [2023, 2024]


def test_values_off_and_empty_values_give_items_only(sipd: FakeSipd) -> None:
    found = records(ctx_for(sipd.url, values=False))
    assert not any(r.makes_dataset for r in found.values())
    assert all(not p.endswith("get_dssd_final") for p, _, _ in sipd.calls)
    sipd.final = {}
    found = records(ctx_for(sipd.url))
    assert len(found) == 3 and not any(r.makes_dataset for r in found.values())
    assert all(len(r.daftar) == 2 for r in found.values())


def test_paging_with_limit_and_offset(sipd: FakeSipd) -> None:
    sipd.ref = [{**reference()[0], "kodeindikator": f"9.99.{n:03d}", "uraian_indikator": f"Indikator {n}"}
                for n in range(5)]
    sipd.final = {}
    found = records(ctx_for(sipd.url, page_size=2, tahun=[2024]))
    assert len(found) == 5
    ref_calls = [q for p, q, _ in sipd.calls if p.endswith("get_ref_dssd")]
    assert [(q["limit"], q["offset"]) for q in ref_calls] == [(["2"], ["0"]), (["2"], ["2"]), (["2"], ["4"])]


def test_final_values_of_an_indicator_the_reference_list_dropped_are_kept(sipd: FakeSipd) -> None:
    sipd.ref = sipd.ref[1:]
    found = records(ctx_for(sipd.url))
    assert "1.02.01" in found and found["1.02.01"].title == "Jumlah puskesmas" and found["1.02.01"].makes_dataset


def test_without_a_token_or_region_code_the_run_says_what_to_set(sipd: FakeSipd) -> None:
    with pytest.raises(HarvestError, match="SATUDATA_SIPD_TOKEN"):
        list(SipdHarvester().gather(ctx_for(sipd.url, token=None)))
    ctx = ctx_for(sipd.url)
    ctx.settings = {"token": TOKEN}
    with pytest.raises(HarvestError, match="kodepemda"):
        list(SipdHarvester().gather(ctx))
    ctx = ctx_for(sipd.url, token="salah")
    with pytest.raises(FetchError, match="menolak akses"):  # 401: the guarded session's sentence
        list(SipdHarvester().gather(ctx))


def test_a_source_that_is_down_or_slow_fails_readably(sipd: FakeSipd) -> None:
    url = sipd.url
    sipd.close()
    with pytest.raises(FetchError, match="tidak dapat dihubungi"):
        list(SipdHarvester().gather(ctx_for(url)))
    slow = FakeSipd()
    slow.delay = 1.5
    try:
        with pytest.raises(FetchError, match=r"tidak menjawab dalam 0,5 detik"):
            list(SipdHarvester().gather(ctx_for(slow.url, timeout=0.5)))
    finally:
        slow.close()


def test_a_changed_shape_names_what_was_expected(sipd: FakeSipd) -> None:
    sipd.mode = "shape"
    with pytest.raises(HarvestError) as raised:
        list(SipdHarvester().gather(ctx_for(sipd.url)))
    assert "kodeindikator, uraian_indikator" in raised.value.message
    assert "kode_indikator" in raised.value.message  # what came instead
    sipd.mode = "html"
    with pytest.raises(FetchError, match="HTML, bukan data JSON"):
        list(SipdHarvester().gather(ctx_for(sipd.url)))
    sipd.mode = "ok"
    ctx = ctx_for(sipd.url, kodepemda="9999")  # an object with a message instead of the array
    with pytest.raises(HarvestError, match="kodepemda tidak ditemukan"):
        list(SipdHarvester().gather(ctx))
    sipd.mode = "final_down"  # the reference list reads, the values do not: nothing is yielded
    gathered = SipdHarvester().gather(ctx_for(sipd.url))
    with pytest.raises(FetchError, match="HTTP 503"):
        next(gathered)


def test_config_is_checked_and_numbers_are_read() -> None:
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as raised:
        SipdConfig().load({"kodepemda": "14-08", "release_day": "31-12", "tahun": [1999]})
    assert set(raised.value.messages) == {"kodepemda", "release_day", "tahun"}
    assert bidang_code(KESEHATAN) == "1.02" and bidang_code("Kesehatan") == "Kesehatan"
    assert [number(v) for v in ("25", "72.4", "12,5", "1.234.567", "1.234,5", "-", "", None, "n/a")] == [
        25, 72.4, 12.5, 1234567, 1234.5, None, None, None, None]


def test_the_token_goes_only_to_sipd_hosts_the_operator_trusts(sipd: FakeSipd) -> None:
    # A walidata types another host (here a listener on 127.0.0.1 the operator never named):
    # the run stops before any request, so the listener never sees the token.
    ctx = ctx_for(sipd.url)
    ctx.settings = {"kodepemda": KODEPEMDA, "token": TOKEN}
    with pytest.raises(HarvestError) as refused:
        list(SipdHarvester().gather(ctx))
    assert sipd.calls == []
    said = refused.value.message
    assert "Token SIPD tidak dikirim ke 127.0.0.1" in said and "sipd.go.id, *.sipd.go.id" in said
    assert "SATUDATA_SIPD_ALLOWED_HOSTS" in said and "alamat SIPD e-Walidata" in said
    # Another host named is no licence for this one.
    ctx.settings["allowed_hosts"] = "localhost, sipd.example.go.id"
    with pytest.raises(HarvestError, match="tidak dikirim ke 127.0.0.1"):
        list(SipdHarvester().gather(ctx))
    assert sipd.calls == []
    # Named by the operator: the token goes, and only there.
    ctx.settings["allowed_hosts"] = "localhost, 127.0.0.1"
    assert set(records(ctx)) >= {"1.02.01"}
    assert sipd.calls and {auth for _, _, auth in sipd.calls} == {f"Bearer {TOKEN}"}


def test_which_urls_may_carry_the_token() -> None:
    official = "https://sipd.go.id/ewalidata/serv"
    assert url_problem(official, {}) is None
    assert url_problem("https://rohilkab.sipd.go.id/ewalidata/serv", {}) is None
    assert url_problem("https://SIPD.GO.ID./ewalidata/serv", {}) is None
    for foreign in ("https://sipd.go.id.penyerang.example/ewalidata/serv", "https://palsusipd.go.id/serv",
                    "https://sipd.go.id@penyerang.example/serv", "https://penyerang.example/sipd.go.id/serv",
                    "https://penyerang.example\\@sipd.go.id/serv"):
        assert url_problem(foreign, {}), foreign
    # https only; plain http not even to SIPD (the token would travel in clear), except in tests.
    assert "hanya dikirim lewat https" in (url_problem("http://sipd.go.id/ewalidata/serv", {}) or "")
    assert url_problem("http://sipd.go.id/ewalidata/serv", {}, allow_private=True) is None
    # The operator's base URL (https) and the hosts listed, with *. for subdomains.
    settings = {"base_url": "https://sipd.daerah.example/ewalidata/serv", "allowed_hosts": "*.kemendagri.example"}
    assert allowed_hosts(settings) == ["sipd.go.id", "*.sipd.go.id", "sipd.daerah.example", "*.kemendagri.example"]
    assert url_problem("https://sipd.daerah.example/ewalidata/serv", settings) is None
    assert url_problem("https://a.kemendagri.example/serv", settings) is None
    assert url_problem("https://kemendagri.example/serv", settings)
    # A base URL over http names no trusted host: 127.0.0.1 must be listed explicitly.
    assert url_problem("http://127.0.0.1:8000/serv", {"base_url": "http://127.0.0.1:8000/serv"}, allow_private=True)
    assert url_problem("http://127.0.0.1:8000/serv", {"allowed_hosts": ["127.0.0.1"]}, allow_private=True) is None


def test_last_year_is_the_year_in_wib_not_the_servers_clock() -> None:
    ctx = ctx_for("https://sipd.go.id/ewalidata/serv", tahun=[])
    plugin = SipdHarvester()
    # 1 January 2027 00:30 WIB is still 31 December 2026 17:30 UTC: 2026 has ended in the region.
    assert plugin.years(ctx, now=datetime(2026, 12, 31, 17, 30, tzinfo=UTC)) == [2026]
    assert plugin.years(ctx, now=datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == [2025]
    assert plugin.years(ctx_for("https://sipd.go.id/ewalidata/serv", tahun=[2024, 2023])) == [2023, 2024]
