"""XLSX export and import of the Daftar Data: the export's layout, a round trip that updates
instead of duplicating, and a messy workbook whose every problem is reported by row and column
with what to write, while nothing is saved."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from satudata.accounts.models import AuditLog
from satudata.errors import Forbidden
from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from satudata.review.daftar.services import DaftarImportError
from satudata.review.daftar.xlsx import COLUMNS
from tests.factories import SYSTEM
from tests.review.daftar.conftest import make_item, new_dataset

HEADERS = ["Tahun", "Judul data", "OPD produsen", "Standar data", "Frekuensi", "Jadwal rilis", "Data prioritas",
           "Status", "Dataset", "Catatan"]


def _count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(DaftarDataItem)) or 0)


def _workbook(rows: list[list[Any]], header: list[str] | None = None, sheet: str = "Daftar Data") -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header or HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _problems(err: DaftarImportError) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in err.problems]


def test_export_has_the_indonesian_layout_statuses_and_reference_sheets(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], "Jumlah Tenaga Kesehatan", release=date(2026, 3, 31), is_priority=True,
                     standard_ref="tenaga_kesehatan", notes="=HYPERLINK(\"http://x\")")
    make_item(region["kominfo"], "Jumlah Menara BTS", release=date(2026, 9, 30), frequency="semesteran")
    daftar.link_dataset(SYSTEM, item, new_dataset(region["dinkes"], "Nakes Riau", state="submitted").slug)
    body = daftar.export_xlsx(users["walidata"], year=2026, today=date(2026, 4, 2))
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Daftar Data", "Petunjuk", "Referensi"]
    ws = book["Daftar Data"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1] == (2026, "Jumlah Tenaga Kesehatan", "Dinas Kesehatan Provinsi Riau", "tenaga_kesehatan@1",
                       "Tahunan", datetime(2026, 3, 31), "Ya", "Terlambat (sudah diajukan)", "nakes-riau",
                       "=HYPERLINK(\"http://x\")")
    assert ws.cell(2, 10).data_type == "s"  # written as text: a spreadsheet shows it, never runs it
    assert rows[2][1:8] == ("Jumlah Menara BTS", "Diskominfotik Provinsi Riau", None, "Semesteran",
                            datetime(2026, 9, 30), "Tidak", "Dijadwalkan")
    reference = [r[:2] for r in book["Referensi"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert ("Dinas Kesehatan Provinsi Riau", "dinkes-riau") in reference
    assert all(slug != "dinkes-dumai" for _, slug in reference)  # another region's OPD is not offered


def test_export_without_items_is_the_template(region: Any, users: Any) -> None:
    book = load_workbook(io.BytesIO(daftar.export_xlsx(users["walidata"], year=2031)))
    assert [c.value for c in book["Daftar Data"][1]] == HEADERS
    assert book["Daftar Data"].max_row == 1
    assert [r[0] for r in book["Petunjuk"].iter_rows(min_row=5, values_only=True)] == [c.header for c in COLUMNS]


def test_round_trip_updates_and_does_not_duplicate(region: Any, users: Any) -> None:
    make_item(region["dinkes"], "Jumlah Tenaga Kesehatan", release=date(2026, 3, 31), notes="awal")
    make_item(region["kominfo"], "Jumlah Menara BTS", release=date(2026, 9, 30))
    ds = new_dataset(region["dinkes"], "Puskesmas Riau")
    book = load_workbook(io.BytesIO(daftar.export_xlsx(users["walidata"], year=2026)))
    ws = book["Daftar Data"]
    ws.cell(2, 6).value = datetime(2026, 4, 30)  # a new release date
    ws.cell(2, 2).value = "jumlah tenaga  KESEHATAN"  # the same title, typed again
    ws.append([2026, "Jumlah Puskesmas", "dinkes-riau", "", "Tahunan", "30/06/2026", "ya", "", ds.slug, ""])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = daftar.import_xlsx(users["walidata"], out)
    db.session.commit()
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert _count() == 3
    nakes = db.session.scalar(select(DaftarDataItem).where(DaftarDataItem.title_key == "jumlah tenaga kesehatan"))
    assert nakes is not None and nakes.release_date == date(2026, 4, 30) and nakes.notes == "awal"
    assert nakes.title == "Jumlah Tenaga Kesehatan"  # the clerk's re-typed spelling does not replace it
    puskesmas = db.session.scalar(select(DaftarDataItem).where(DaftarDataItem.title == "Jumlah Puskesmas"))
    assert puskesmas is not None and puskesmas.is_priority and puskesmas.dataset == ds
    actions = [a for (a,) in db.session.execute(select(AuditLog.action).where(AuditLog.action.like("daftar.%")))]
    assert actions.count("daftar.import") == 1 and "daftar.link" in actions
    # The same file again changes nothing.
    out.seek(0)
    again = daftar.import_xlsx(users["walidata"], out)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_dates_as_excel_dates_day_month_year_or_iso(region: Any, users: Any) -> None:
    rows = [
        [2026, "Data A", "Dinas Kesehatan Provinsi Riau", "", "Tahunan", datetime(2026, 3, 31), "Tidak"],
        [2026, "Data B", "DINAS KESEHATAN  provinsi riau", "", "bulanan", "1/4/2026", ""],
        ["2026", "Data C", "dinkes-riau", "tenaga_kesehatan@1", "Tidak tentu", "2026-05-02", "Ya"],
        [2026.0, "Data D", "dinkes-riau", "", "triwulanan", 46174, None],  # a date cell that lost its format
    ]
    result = daftar.import_xlsx(users["walidata"], _workbook([[*r, "", "", ""] for r in rows]))
    assert result.created == 4
    found = {i.title: i for i in db.session.scalars(select(DaftarDataItem))}
    assert found["Data A"].release_date == date(2026, 3, 31)
    assert found["Data B"].release_date == date(2026, 4, 1) and str(found["Data B"].frequency) == "bulanan"
    assert found["Data C"].release_date == date(2026, 5, 2) and found["Data C"].is_priority
    assert str(found["Data C"].frequency) == "tidak_tentu" and found["Data C"].standard_ref == "tenaga_kesehatan@1"
    assert found["Data D"].release_date == date(2026, 6, 1)


def test_a_messy_workbook_is_reported_row_by_row_and_nothing_is_saved(region: Any, users: Any) -> None:
    theirs = new_dataset(region["kominfo"], "Menara BTS")
    header = ["No", *HEADERS]
    rows = [
        [1, 2026, "Jumlah Puskesmas", "Dinas Kesehatan Provinsi Riau", "", "Tahunan", "31/03/2026", "Ya", "", "", ""],
        [2, 2026, "Jumlah Bidan", "Dinas Kesehatn Provinsi Riau", "", "Tahunan", "31/03/2026", "", "", "", ""],
        [3, 2026, "Jumlah Perawat", "dinkes-riau", "", "Tahunan", "31/02/2026", "", "", "", ""],
        [4, 2026, "jumlah puskesmas", "dinkes-riau", "", "Tahunan", "2026-04-30", "", "", "", ""],
        [5, 2026, None, "dinkes-riau", "", "Tahunan", "2026-04-30", "", "", "", ""],
        [6, "20x6", "Jumlah Dokter", "dinkes-riau", "standar_khayalan", "Sekali", None, "Mungkin", "", "", ""],
        [7, 2026, "Jumlah Posyandu", "Dinas Kesehatan Kota Dumai", "", "Bulanan", "2026-04-30", "", "", "", ""],
        [8, 2026, "Jumlah Apotek", "dinkes-riau", "", "Tahunan", "2026-04-30", "", "", theirs.slug, ""],
        [None] * 11,  # a blank row in between is skipped
        [9, 2026, "Jumlah Klinik", "dinkes-riau", "", "Tahunan", "2026-04-30", "", "", "", ""],
    ]
    with pytest.raises(DaftarImportError) as caught:
        daftar.import_xlsx(users["walidata"], _workbook(rows, header))
    err = caught.value
    assert err.message == "Tidak ada yang disimpan: 7 baris perlu diperbaiki."
    assert err.ignored_columns == ["No"]
    assert _problems(err) == [
        (3, "OPD produsen"),
        (4, "Jadwal rilis"),
        (5, "Judul data"),  # the same item as row 2
        (6, "Judul data"),
        (7, "Tahun"), (7, "Standar data"), (7, "Frekuensi"), (7, "Jadwal rilis"), (7, "Data prioritas"),
        (8, "OPD produsen"),
        (9, "Dataset"),
    ]
    by_place = {(p.row, p.column): p for p in err.problems}
    typo = by_place[(3, "OPD produsen")]
    assert typo.problem == 'OPD "Dinas Kesehatn Provinsi Riau" tidak dikenal.'
    assert "Mungkin maksud Anda: Dinas Kesehatan Provinsi Riau (dinkes-riau)" in typo.fix
    assert by_place[(4, "Jadwal rilis")].problem == 'Tanggal "31/02/2026" tidak dikenali.'
    assert "DD/MM/YYYY" in by_place[(4, "Jadwal rilis")].fix
    assert by_place[(5, "Judul data")].problem == "Baris ini sama dengan baris 2 (tahun, OPD dan judul data sama)."
    assert by_place[(6, "Judul data")].problem == "Judul data kosong."
    assert by_place[(7, "Data prioritas")].fix == "Ya atau Tidak. Kosong berarti Tidak."
    assert "di luar wilayah walidata Anda" in by_place[(8, "OPD produsen")].problem
    assert "bukan milik Dinas Kesehatan Provinsi Riau" in by_place[(9, "Dataset")].problem
    assert _count() == 0


def test_an_admin_may_import_for_every_region(region: Any, users: Any) -> None:
    rows = [[2026, "Jumlah Posyandu", "dinkes-dumai", "", "Bulanan", "2026-04-30", "", "", "", ""]]
    assert daftar.import_xlsx(users["admin"], _workbook(rows)).created == 1


def test_missing_columns_and_wrong_files_are_refused_with_what_to_do(region: Any, users: Any) -> None:
    with pytest.raises(DaftarImportError) as caught:
        daftar.import_xlsx(users["walidata"], _workbook([[2026, "X"]], ["Tahun", "Judul", "Tahun"]))
    assert _problems(caught.value) == [(1, "OPD produsen"), (1, "Frekuensi"), (1, "Jadwal rilis"), (1, "Tahun")]
    assert "Tambahkan judul kolom" in caught.value.problems[0].fix
    with pytest.raises(DaftarImportError) as caught:
        daftar.import_xlsx(users["walidata"], io.BytesIO(b"Tahun,Judul data\n2026,Data\n"))
    assert caught.value.problems[0].row == 0 and "XLSX" in caught.value.problems[0].problem
    with pytest.raises(DaftarImportError) as caught:
        daftar.import_xlsx(users["walidata"], io.BytesIO(b""))
    assert "kosong" in caught.value.message
    with pytest.raises(DaftarImportError) as caught:
        daftar.import_xlsx(users["walidata"], _workbook([]))
    assert caught.value.problems[0].problem == "Tidak ada baris data di bawah judul kolom."


def test_the_upload_is_bounded_in_size_and_rows(app: Any, region: Any, users: Any) -> None:
    row = [2026, "Data", "dinkes-riau", "", "Tahunan", "2026-04-30", "", "", "", ""]
    rows = [[*row[:1], f"Data {n}", *row[2:]] for n in range(4)]
    app.config["DAFTAR_IMPORT_MAX_ROWS"] = 3
    try:
        with pytest.raises(DaftarImportError) as caught:
            daftar.import_xlsx(users["walidata"], _workbook(rows))
        assert "lebih dari 3 baris" in caught.value.message
        assert daftar.import_xlsx(users["walidata"], _workbook(rows[:3])).created == 3
    finally:
        app.config["DAFTAR_IMPORT_MAX_ROWS"] = 5000
    db.session.rollback()
    app.config["DAFTAR_IMPORT_MAX_BYTES"] = 2000
    try:
        with pytest.raises(DaftarImportError) as caught:
            daftar.import_xlsx(users["walidata"], _workbook(rows))
        assert caught.value.message == "Berkas terlalu besar."
    finally:
        app.config["DAFTAR_IMPORT_MAX_BYTES"] = 5 * 1024 * 1024
    assert _count() == 0


def test_producers_and_citizens_cannot_import_or_export(region: Any, users: Any) -> None:
    for actor in (users["produsen"], region["producer_dumai"]):
        with pytest.raises(Forbidden):
            daftar.import_xlsx(actor, _workbook([]))
        with pytest.raises(Forbidden):
            daftar.export_xlsx(actor, year=2026)
