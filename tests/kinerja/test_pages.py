"""The kinerja pages, their XLSX and the REST summary: who may open the dashboard, what the public
sees (and never sees), the workbook read back with openpyxl, and a bounded number of queries."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.kinerja.conftest import SECRET_NOTE, YEAR, World, add_first_quarter_records
from tests.workspace.conftest import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(app: Any, username: str | None = None) -> Any:
    from tests.conftest import FreshGlobalsClient

    app.test_client_class = FreshGlobalsClient
    client = app.test_client()
    if username:
        sign_in(client, username)
    return client


def test_the_walidata_sees_their_regions_opd_figures(app: Any, world: World) -> None:
    client = _client(app, "walidata")
    resp = client.get(f"/kelola/kinerja?tahun={YEAR}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Dinas Kesehatan Provinsi Riau" in html and "Diskominfotik Provinsi Riau" in html
    assert "Dinas Kesehatan Kota Dumai" not in html  # another region
    assert "66,7%" in html and "4,0 hari" in html  # dinkes' pass rate and median review, Indonesian format
    assert f"/kelola/kinerja/dinkes-riau?tahun={YEAR}" in html
    assert 'type="application/json" id="grafik-tren-daftar-data"' in html  # chart numbers, no inline script
    assert 'href="#tabel-tren"' in html  # every chart names its table


def test_an_opds_page_lists_the_records_behind_its_numbers(app: Any, world: World) -> None:
    client = _client(app, "walidata")
    resp = client.get(f"/kelola/kinerja/dinkes-riau?tahun={YEAR}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert world.items["B"].title in html and world.items["C"].title in html
    assert f"/kelola/periksa/{world.datasets['A'].slug}" in html  # the slow reviews link to the review page
    assert "Kasus DBD" in html  # failed at first
    assert world.requests["late"].number in html
    assert f"T1 {YEAR}" in html and f"T4 {YEAR}" in html
    assert client.get(f"/kelola/kinerja/dinkes-riau?tahun={YEAR}&triwulan=2").status_code == 200


def _lists_of(html: str) -> str:
    """The part of an OPD's page below its figures and trends: the lists behind the numbers."""
    return html.split('id="catatan"', 1)[1]


def test_an_opds_page_lists_only_the_records_of_the_chosen_quarter(app: Any, world: World,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    extra = add_first_quarter_records(world, monkeypatch)
    in_t1 = (extra.item.title, world.datasets["A"].title, extra.table_name, extra.request.number)
    in_t3 = (world.items["C"].title, extra.sent_back.title, "Kasus DBD", world.requests["open"].number)
    client = _client(app, "walidata")
    html = client.get(f"/kelola/kinerja/dinkes-riau?tahun={YEAR}&triwulan=1").get_data(as_text=True)
    lists = _lists_of(html)
    assert f"Catatan di balik angka T1 {YEAR}" in lists
    assert f"1 Januari {YEAR}–31 Maret {YEAR}" in lists  # which period, said on the page
    assert f'href="/kelola/kinerja/dinkes-riau?tahun={YEAR}#catatan"' in lists  # and the way to the year's
    assert all(text in lists for text in in_t1), in_t1
    assert not any(text in lists for text in in_t3), in_t3
    assert world.items["B"].title not in lists  # T2's late item neither
    whole = _lists_of(client.get(f"/kelola/kinerja/dinkes-riau?tahun={YEAR}").get_data(as_text=True))
    assert f"Catatan di balik angka {YEAR}" in whole and f"1 Januari {YEAR}–31 Desember {YEAR}" in whole
    assert all(text in whole for text in in_t1 + in_t3)


@pytest.mark.parametrize("who", ["produsen", "ppid_pelaksana", None])
def test_producers_officers_and_citizens_are_refused(app: Any, world: World, who: str | None) -> None:
    client = _client(app, who.replace("_", ".") if who else None)
    for url in ("/kelola/kinerja", "/kelola/kinerja/dinkes-riau", "/kelola/kinerja/ekspor.xlsx"):
        resp = client.get(url)
        assert resp.status_code in ((403,) if who else (302, 401)), (url, resp.status_code)


def test_the_walidata_of_another_region_neither_sees_nor_opens_this_regions_opd(app: Any, world: World) -> None:
    client = _client(app, "walidata.dumai")
    html = client.get(f"/kelola/kinerja?tahun={YEAR}").get_data(as_text=True)
    assert "Dinas Kesehatan Kota Dumai" in html and "Dinas Kesehatan Provinsi Riau" not in html
    assert client.get("/kelola/kinerja/dinkes-riau").status_code == 403
    assert client.get("/kelola/kinerja/tidak-ada").status_code == 404


def test_the_atasan_ppid_and_admins_read_the_dashboard(app: Any, world: World) -> None:
    for who in ("atasan.ppid", "admin"):
        html = _client(app, who).get(f"/kelola/kinerja?tahun={YEAR}").get_data(as_text=True)
        assert "Dinas Kesehatan Provinsi Riau" in html, who


def test_a_bad_period_is_explained_without_an_error_page(app: Any, world: World) -> None:
    client = _client(app, "walidata")
    for query in ("tahun=20x5", "tahun=1800", "triwulan=7"):
        resp = client.get(f"/kelola/kinerja?{query}")
        assert resp.status_code == 400, query
        assert "Periode tidak valid" in resp.get_data(as_text=True)
    assert _client(app).get("/kinerja?triwulan=9").status_code == 400


def test_the_dashboards_workbook_reads_back(app: Any, world: World) -> None:
    resp = _client(app, "walidata").get(f"/kelola/kinerja/ekspor.xlsx?tahun={YEAR}")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert f"kinerja-opd-{YEAR}.xlsx" in resp.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["Ringkasan OPD", "Tren triwulanan", "Keterangan"]
    main = book["Ringkasan OPD"]
    assert main.freeze_panes == "C2"
    headers = [c.value for c in main[1]]
    assert headers[:3] == ["Wilayah", "OPD", "Daftar Data jatuh tempo"]
    rows = {r[1]: dict(zip(headers, r, strict=True)) for r in main.iter_rows(min_row=2, values_only=True)}
    dinkes = rows["Dinas Kesehatan Provinsi Riau"]
    assert dinkes["Wilayah"] == "Pemerintah Provinsi Riau"
    assert (dinkes["Daftar Data jatuh tempo"], dinkes["Terbit tepat waktu"], dinkes["Terbit terlambat"]) == (4, 1, 1)
    assert dinkes["Lolos validasi pertama (%)"] == pytest.approx(2 / 3)
    column = headers.index("Lolos validasi pertama (%)") + 1
    assert main.cell(row=2, column=column).number_format == "0.0%"
    assert dinkes["Median lama pemeriksaan (hari)"] == 4.0
    assert dinkes["PPID tepat waktu (%)"] == pytest.approx(0.5)
    assert rows["Diskominfotik Provinsi Riau"]["Ketepatan rilis"] == "—"  # nothing to count, not 0 %
    assert "Jumlah Pemerintah Provinsi Riau" in rows and "Dinas Kesehatan Kota Dumai" not in rows
    trend = book["Tren triwulanan"]
    assert trend.freeze_panes == "D2"
    quarters = [r for r in trend.iter_rows(min_row=2, values_only=True) if r[1] == "Dinas Kesehatan Provinsi Riau"]
    assert [r[2] for r in quarters] == [f"T{q} {YEAR}" for q in (1, 2, 3, 4)]


def test_the_public_summary_needs_no_account_and_shows_only_counts(app: Any, world: World) -> None:
    client = _client(app)
    resp = client.get(f"/kinerja?tahun={YEAR}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Dinas Kesehatan Provinsi Riau" in html and "Dinas Kesehatan Kota Dumai" in html
    assert "66,7%" in html and "50,0%" in html
    assert SECRET_NOTE not in html
    for user in world.users.values():  # no officer's name
        assert user.full_name not in html
    assert world.requests["late"].number not in html  # no request numbers, only counts
    assert "/kelola/" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # no link into the internal side
    book = load_workbook(io.BytesIO(client.get(f"/kinerja/ekspor.xlsx?tahun={YEAR}").data))
    names = [r[1] for r in book["Ringkasan OPD"].iter_rows(min_row=2, values_only=True)]
    assert "Dinas Kesehatan Kota Dumai" in names


def test_the_rest_summary(app: Any, world: World) -> None:
    client = _client(app)
    resp = client.get(f"/api/v1/kinerja?year={YEAR}")
    assert resp.status_code == 200
    body = resp.json
    assert body["meta"]["year"] == YEAR and body["meta"]["quarter"] is None
    by_slug = {row["organization"]["slug"]: row for row in body["data"]}
    dinkes = by_slug["dinkes-riau"]
    assert dinkes["region"]["slug"] == "pemprov-riau"
    assert dinkes["figures"]["daftar"]["due"] == 4
    assert dinkes["figures"]["validation"]["pass_rate"] == pytest.approx(66.7)
    assert dinkes["figures"]["review"]["median_days"] == 4.0
    assert [q["quarter"] for q in dinkes["quarters"]] == [1, 2, 3, 4]
    assert by_slug["diskominfotik-riau"]["figures"]["ppid"]["on_time_share"] is None
    assert SECRET_NOTE not in resp.get_data(as_text=True)
    q2 = client.get(f"/api/v1/kinerja?year={YEAR}&quarter=2").json
    assert {r["organization"]["slug"]: r for r in q2["data"]}["dinkes-riau"]["figures"]["daftar"]["due"] == 1
    bad = client.get("/api/v1/kinerja?year=1800&quarter=5")
    assert bad.status_code == 422
    assert set(bad.json["error"]["details"]) == {"year", "quarter"}


def test_the_rest_summary_is_documented(app: Any, world: World) -> None:
    doc = _client(app).get("/api/v1/openapi.json").json
    op = doc["paths"]["/api/v1/kinerja"]["get"]
    assert op["operationId"] == "getKinerja"
    assert {p["name"] for p in op["parameters"]} == {"year", "quarter"}


# --------------------------------------------------------------------------- query counts


def _count(app: Any, client: Any, url: str) -> int:
    from sqlalchemy import event

    from satudata.extensions import db
    from satudata.generations import bump_all

    client.get(url)  # warm what is per process
    bump_all()
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        resp = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert resp.status_code == 200
    return len(statements)


def test_the_dashboard_costs_the_same_few_queries_however_many_opd_and_datasets(app: Any, world: World) -> None:
    from satudata.accounts import services as accounts
    from satudata.accounts.models import OrganizationKind
    from satudata.extensions import db
    from satudata.review.daftar import services as daftar
    from tests.factories import SYSTEM, make_dataset

    client = _client(app, "walidata")
    urls = [f"/kelola/kinerja?tahun={YEAR}", f"/kinerja?tahun={YEAR}", f"/api/v1/kinerja?year={YEAR}",
            f"/kelola/kinerja/dinkes-riau?tahun={YEAR}", f"/kelola/kinerja/dinkes-riau?tahun={YEAR}&triwulan=4"]
    few = [_count(app, client, url) for url in urls]
    for i in range(4):
        org = accounts.create_organization(SYSTEM, slug=f"dinas-baru-{i}", name=f"Dinas Baru {i}",
                                           kind=OrganizationKind.OPD, parent=world.orgs["prov"])
        for j in range(2):
            ds = make_dataset(org, title=f"Data Baru {i}-{j}")
            item = daftar.create_item(SYSTEM, org, year=YEAR, title=ds.title, frequency="tahunan",
                                      release_date=ds.published_at.date().replace(year=YEAR))
            daftar.link_dataset(SYSTEM, item, ds.slug)
    ds = make_dataset(world.orgs["dinkes"], title="Satu Lagi untuk Dinkes")
    db.session.commit()
    many = [_count(app, client, url) for url in urls]
    assert few == many, list(zip(urls, few, many, strict=True))
    assert max(many) < 40


def test_an_opds_page_costs_the_same_queries_for_a_quarter_however_many_records_it_lists(
        app: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client(app, "walidata")
    urls = [f"/kelola/kinerja/dinkes-riau?tahun={YEAR}&triwulan={q}" for q in (1, 3)]
    urls.append(f"/kelola/kinerja/dinkes-riau?tahun={YEAR}")
    few = [_count(app, client, url) for url in urls]
    add_first_quarter_records(world, monkeypatch)  # every list of T1 has a row now, T3's reviews too
    many = [_count(app, client, url) for url in urls]
    assert few == many, list(zip(urls, few, many, strict=True))
    assert len(set(many)) == 1  # a quarter's page reads what the year's does, no query more
