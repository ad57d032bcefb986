"""Importing a dataset's BPS statistical metadata from an XLSX workbook: the export read back
unchanged changes nothing; edited cells are saved; an empty cell keeps the portal's value;
headers as Excel users leave them; rows of other datasets ignored; unknown columns, tables and
columns reported; a bad choice refused by sheet, row and field with nothing saved; files that are
not a workbook, broken or too large refused; who may import; a published dataset only through a
revision; the audit row; a double submit adds no indicator."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from satudata.accounts.models import AuditLog
from satudata.authz import AnonymousActor
from satudata.errors import Conflict, Forbidden
from satudata.extensions import db
from satudata.review import services as review
from satudata.review.statistik import services as ms
from satudata.review.statistik import spec
from satudata.review.statistik.models import MsIndikator, MsKegiatan, MsVariabel
from satudata.review.statistik.xlsx import IND_HEADERS, VAR_HEADERS
from tests.factories import SYSTEM
from tests.review.statistik.conftest import statistical_dataset
from tests.review.statistik.test_services import _complete
from tests.workspace.conftest import csrf_of, sign_in

# --------------------------------------------------------------------------- helpers

KEG_ROWS = len(spec.KEG_SECTIONS) + len(spec.KEG_FIELDS)  # a dataset's rows in MS-Keg: block titles, fields


def _export(*datasets: Any) -> bytes:
    return ms.export_xlsx(ms.load_many(list(datasets)))


def _edited(data: bytes, change: Callable[[Any], None]) -> bytes:
    """The workbook ``data`` changed by ``change`` (an openpyxl workbook), as Excel would save it."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _keg_row(book: Any, number: str = "", label: str = "", dataset: str | None = None) -> int:
    """The MS-Keg row of field ``number`` (or ``label``), of ``dataset`` (a substring) if given."""
    for row in book["MS-Keg"].iter_rows(min_row=2):
        if dataset is not None and dataset not in str(row[0].value):
            continue
        if (number and row[2].value == number) or (label and str(row[3].value or "").startswith(label)):
            return int(row[0].row)
    raise AssertionError(f"no MS-Keg row {number or label}")


def _var_row(book: Any, column: str, dataset: str | None = None) -> int:
    for row in book["MS-Var"].iter_rows(min_row=2):
        if row[2].value == column and (dataset is None or dataset in str(row[0].value)):
            return int(row[0].row)
    raise AssertionError(f"no MS-Var row {column}")


def _var_col(header: str) -> int:
    return VAR_HEADERS.index(header) + 1


def _import(actor: Any, ds: Any, data: bytes) -> ms.ImportResult:
    return ms.import_xlsx(actor, ds, io.BytesIO(data))


def _rows(ds: Any) -> tuple[Any, ...]:
    """Every saved MS value of ``ds``, with the rows' update times: what "nothing changes" means."""
    keg = db.session.scalar(select(MsKegiatan).where(MsKegiatan.dataset_id == ds.id)
                            .execution_options(populate_existing=True))
    var = db.session.scalars(select(MsVariabel).where(MsVariabel.dataset_id == ds.id)
                             .order_by(MsVariabel.resource_id, MsVariabel.column_name)
                             .execution_options(populate_existing=True)).all()
    ind = db.session.scalars(select(MsIndikator).where(MsIndikator.dataset_id == ds.id)
                             .order_by(MsIndikator.position).execution_options(populate_existing=True)).all()

    def values(row: Any) -> tuple[Any, ...]:
        return tuple((c.key, getattr(row, c.key)) for c in row.__table__.columns)

    return (values(keg) if keg is not None else None, [values(r) for r in var], [values(r) for r in ind])


def _filled(ds: Any) -> Any:
    """``ds`` with its MS metadata complete and two indicators."""
    _complete(ds)
    first = {**ms.prefill_indicator(ds), "interpretasi": "Makin tinggi makin baik.", "rumus": "jumlah nakes"}
    ms.update_indikator(SYSTEM, ds, [first, {**first, "nama": "Rasio nakes", "rumus": "nakes / puskesmas"}])
    db.session.commit()
    return ds


def _post(client: Any, slug: str, data: bytes, name: str = "metadata.xlsx") -> Any:
    path = f"/kelola/dataset/{slug}/metadata-statistik"
    return client.post(f"{path}/impor", data={"csrf_token": csrf_of(client, path), "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


# --------------------------------------------------------------------------- round trip


def test_an_unchanged_export_changes_nothing_and_starts_nothing(stat: Any) -> None:
    ds = stat["draft"]
    result = _import(stat["user_produsen"], ds, _export(ds))
    db.session.commit()
    assert not result.changed and (result.keg, result.var, result.ind) == ([], [], 0)
    assert result.sheets == ["MS-Keg", "MS-Var", "MS-Ind"] and not result.unknown and not result.ignored_columns
    # Never started, and still not: no row was made from the prefill.
    assert ms.started_ids([ds]) == set() and _rows(ds) == (None, [], [])


def test_round_trip_of_filled_metadata_changes_no_row(stat: Any) -> None:
    ds = _filled(stat["draft"])
    before, shown = _rows(ds), ms.export_json(ms.load(ds))
    data = _export(ds)
    # Opened and saved in a spreadsheet program: the same cells, a workbook written by another hand.
    data = _edited(data, lambda book: None)
    result = _import(stat["user_produsen"], ds, data)
    db.session.commit()
    assert not result.changed
    assert _rows(ds) == before and ms.export_json(ms.load(ds)) == shown


def test_a_value_kept_in_a_skipped_field_is_written_empty_and_survives_the_round_trip(stat: Any) -> None:
    ds = _filled(stat["draft"])
    # Typed under "Survei", then the answer changed: 5.7 is no longer asked but keeps its value.
    ms.update_kegiatan(SYSTEM, ds, {**ms.load(ds).keg, "cara_pengumpulan": "Survei", "unit_sampel": "Puskesmas"})
    ms.update_kegiatan(SYSTEM, ds, {**ms.load(ds).keg, "cara_pengumpulan": "Kompilasi produk administrasi"})
    db.session.commit()
    before = _rows(ds)
    data = _export(ds)
    row = next(r for r in load_workbook(io.BytesIO(data))["MS-Keg"].iter_rows(min_row=2, values_only=True)
               if r[2] == "5.7")
    assert not row[4] and row[5].startswith("Tidak ditanyakan")
    assert not _import(stat["user_produsen"], ds, data).changed
    db.session.commit()
    assert _rows(ds) == before and ms.load(ds).keg["unit_sampel"] == "Puskesmas"


# --------------------------------------------------------------------------- edited cells


def test_edited_cells_are_saved_and_excel_values_read_as_text(stat: Any) -> None:
    ds = _filled(stat["draft"])

    def edit(book: Any) -> None:
        keg = book["MS-Keg"]
        keg.cell(_keg_row(book, "3.2"), 5).value = "Menyediakan data nakes per kecamatan (dari Excel)."
        keg.cell(_keg_row(book, label="Tahun"), 5).value = 2026.0  # Excel made a number of it
        rilis = _keg_row(book, "8.2.b")
        keg.cell(rilis, 3).value = "8.2.B"  # the sub-item's letter in upper case: still 8.2.b
        keg.cell(rilis, 5).value = datetime(2026, 6, 30)  # ... and a date made of this one
        keg.cell(_keg_row(book, "3.3.2.b"), 5).value = datetime(2026, 2, 25)  # ... and of this one
        keg.cell(_keg_row(book, "7.2"), 5).value = "deskriptif dan inferensia"  # the choice, in lower case
        keg.cell(_keg_row(book, "4.6"), 5).value = "Wawancara\nPengamatan (observasi)"  # two choices, two lines
        keg.cell(_keg_row(book, "5.5"), 5).value = 0.05  # kept, though not asked (not a survey)
        latar = _keg_row(book, "3.1")
        keg.cell(latar, 3).value = 3.1  # "No." turned into a number: still field 3.1
        keg.cell(latar, 4).value = "Latar"  # and a label that is no field's: the number decides
        keg.cell(latar, 5).value = "Perencanaan 2026."
        var = book["MS-Var"]
        var.cell(_var_row(book, "jumlah"), _var_col("5. Definisi *")).value = "Nakes aktif pada 31 Desember."
        ind = book["MS-Ind"]
        ind.cell(2, IND_HEADERS.index("5. Interpretasi *") + 1).value = "Semakin tinggi semakin baik akses."
        new = ind.max_row + 1
        ind.cell(new, 1).value = ds.title
        ind.cell(new, IND_HEADERS.index("2. Nama indikator *") + 1).value = "Nakes per 1.000 penduduk"
        ind.cell(new, IND_HEADERS.index("17. Apakah kolom (2) dapat diakses umum? *") + 1).value = True

    result = _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.commit()
    keg = ms.load(ds).keg
    assert keg["tujuan"] == "Menyediakan data nakes per kecamatan (dari Excel)."
    assert keg["tahun_kegiatan"] == "2026" and keg["rilis_digital"] == "2026-06-30"  # a date field keeps ISO
    assert keg["jadwal_desain_akhir"] == "2026-02-25"
    assert keg["metode_analisis"] == "Deskriptif dan inferensia"
    assert keg["metode_pengumpulan"] == "Wawancara; Pengamatan (observasi)"
    assert keg["fraksi_sampel"] == "0,05" and keg["latar_belakang"] == "Perencanaan 2026."
    assert sorted(result.keg) == sorted(["tujuan", "tahun_kegiatan", "rilis_digital", "jadwal_desain_akhir",
                                         "metode_analisis", "metode_pengumpulan", "fraksi_sampel", "latar_belakang"])
    meta = ms.load(ds)
    assert next(e for e in meta.variables if e.column.name == "jumlah").values["definisi"] == \
        "Nakes aktif pada 31 Desember."
    assert result.var == ["Tenaga kesehatan/jumlah"]
    names = [r.nama for r in meta.indicators]
    assert names == [ds.title, "Rasio nakes", "Nakes per 1.000 penduduk"]
    assert meta.indicators[0].interpretasi == "Semakin tinggi semakin baik akses."
    assert meta.indicators[1].interpretasi == "Makin tinggi makin baik."  # its row untouched
    assert meta.indicators[2].akses_umum == "Ya"
    assert (result.ind, result.ind_added) == (2, 1)


def test_empty_cells_keep_the_portal_values(stat: Any) -> None:
    ds = _filled(stat["draft"])
    meta = ms.load(ds)
    before = _rows(ds)

    def clear(book: Any) -> None:
        book["MS-Keg"].cell(_keg_row(book, "3.1"), 5).value = None
        book["MS-Keg"].cell(_keg_row(book, "3.2"), 5).value = "   "
        book["MS-Var"].cell(_var_row(book, "jumlah"), _var_col("5. Definisi *")).value = None
        for row in book["MS-Ind"].iter_rows(min_row=2):
            for cell in row[2:]:
                cell.value = None

    result = _import(stat["user_produsen"], ds, _edited(_export(ds), clear))
    db.session.commit()
    assert not result.changed and _rows(ds) == before
    assert ms.load(ds).keg["latar_belakang"] == meta.keg["latar_belakang"] == "Perencanaan."


def test_headers_as_excel_users_leave_them(stat: Any) -> None:
    """No "*", no numbers, other case and spacing, columns reordered, an extra column, no
    Dataset column, a blank row, a title row above the header."""
    ds = stat["draft"]
    book = Workbook()
    keg = book.active
    keg.title = "ms keg"
    keg.append(["  ISIAN ", "rincian", "no"])
    keg.append(["Untuk perencanaan.", "Latar belakang kegiatan", "3.1"])
    keg.append([])
    keg.append(["Menyediakan data.", "tujuan kegiatan *", None])  # matched by its label
    var = book.create_sheet("MS-VAR")
    var.append(["Metadata variabel dinas kesehatan"])  # a title row
    var.append(["kolom", "Catatan", "definisi", " tabel ", "8. TIPE DATA", "(2) nama variabel"])
    var.append(["jenis_tenaga", "catatan internal", "Jenis tenaga menurut UU 36/2014.", "tenaga kesehatan",
                "string", None])
    ind = book.create_sheet("MS_Ind")
    ind.append(["Nama indikator", "satuan", "Konsep *"])
    ind.append(["Rasio nakes", "orang", "Tenaga kesehatan"])
    out = io.BytesIO()
    book.save(out)
    result = _import(stat["user_produsen"], ds, out.getvalue())
    db.session.commit()
    meta = ms.load(ds)
    assert meta.keg["latar_belakang"] == "Untuk perencanaan." and meta.keg["tujuan"] == "Menyediakan data."
    jenis = next(e for e in meta.variables if e.column.name == "jenis_tenaga")
    assert jenis.values["definisi"] == "Jenis tenaga menurut UU 36/2014." and jenis.values["tipe_data"] == "String"
    assert [(r.nama, r.satuan, r.konsep) for r in meta.indicators] == [("Rasio nakes", "orang", "Tenaga kesehatan")]
    assert result.ignored_columns == ['MS-Var: "Catatan"']
    assert (len(result.keg), result.var, result.ind) == (2, ["Tenaga kesehatan/jenis_tenaga"], 1)


def test_rows_of_other_datasets_are_ignored_and_counted(stat: Any) -> None:
    ds, other = stat["draft"], statistical_dataset(stat["dinkes"], "Nakes Puskesmas")
    other_before = _rows(other)

    def edit(book: Any) -> None:
        for dataset, text in ((ds.title, "Untuk kami."), (other.title, "Untuk dataset lain.")):
            book["MS-Keg"].cell(_keg_row(book, "3.1", dataset=dataset), 5).value = text
            book["MS-Var"].cell(_var_row(book, "rasio", dataset), _var_col("11. Kalimat pertanyaan")).value = text

    result = _import(stat["user_produsen"], ds, _edited(_export(ds, other), edit))
    db.session.commit()
    assert ms.load(ds).keg["latar_belakang"] == "Untuk kami."
    assert next(e for e in ms.load(ds).variables if e.column.name == "rasio").values["kalimat_pertanyaan"] == \
        "Untuk kami."
    assert _rows(other) == other_before
    assert result.other_rows == {"MS-Keg": KEG_ROWS, "MS-Var": 5}  # its block titles and fields; its 5 columns


def test_two_datasets_of_the_same_title_stay_apart(stat: Any) -> None:
    # Titles are not unique: every sheet names a dataset by title and slug.
    ds = stat["draft"]
    twin = statistical_dataset(stat["dinkes"], ds.title)
    twin_before = _rows(twin)

    def edit(book: Any) -> None:
        for dataset, text in ((ds.slug, "Untuk kami."), (twin.slug, "Untuk kembarannya.")):
            book["MS-Var"].cell(_var_row(book, "rasio", f"({dataset})"), _var_col("11. Kalimat pertanyaan")).value = text

    result = _import(stat["user_produsen"], ds, _edited(_export(ds, twin), edit))
    db.session.commit()
    assert next(e for e in ms.load(ds).variables if e.column.name == "rasio").values["kalimat_pertanyaan"] == \
        "Untuk kami."
    assert _rows(twin) == twin_before and result.other_rows["MS-Var"] == 5


def test_a_copied_sheet_is_refused_not_guessed(stat: Any) -> None:
    # Excel names a sheet's copy "MS-Keg (2)": which one holds the producer's edits is unknowable.
    ds = stat["draft"]

    def edit(book: Any) -> None:
        copy = book.copy_worksheet(book["MS-Keg"])
        copy.title = "MS-Keg (2)"
        book.move_sheet(copy, offset=-book.index(copy))

    with pytest.raises(ms.StatistikImportError) as refused:
        _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.rollback()
    assert '"MS-Keg (2)" dan "MS-Keg" sama-sama lembar MS-Keg' in refused.value.problems[0].problem


def test_a_huge_number_or_a_date_in_words_is_named_not_a_500(stat: Any) -> None:
    ds = _filled(stat["draft"])

    def edit(book: Any) -> None:
        book["MS-Keg"].cell(_keg_row(book, "6.6.a"), 5).value = "9" * 5000
        book["MS-Keg"].cell(_keg_row(book, "3.3.1.b"), 5).value = "31 Maret 2026"

    with pytest.raises(ms.StatistikImportError) as refused:
        _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.rollback()
    found = {p.field.split(".")[0] + "." + p.field.split(".")[1]: p.problem for p in refused.value.problems}
    problems = " | ".join(p.problem for p in refused.value.problems)
    assert "paling panjang" in problems and "5000" in problems
    assert '"31 Maret 2026" bukan tanggal' in problems, found


def test_a_workbook_of_another_dataset_only_is_refused(stat: Any) -> None:
    other = statistical_dataset(stat["dinkes"], "Nakes Puskesmas")
    with pytest.raises(ms.StatistikImportError) as refused:
        _import(stat["user_produsen"], stat["draft"], _export(other))
    assert "semua baris milik dataset lain" in refused.value.problems[0].problem
    db.session.rollback()


def test_unknown_rows_are_reported_and_not_saved(stat: Any) -> None:
    ds = stat["draft"]

    def edit(book: Any) -> None:
        var = book["MS-Var"]
        for table, column in (("Tabel lama", "jumlah"), ("Puskesmas", "kolom_hilang")):
            row = var.max_row + 1
            var.cell(row, 1).value, var.cell(row, 2).value, var.cell(row, 3).value = ds.title, table, column
            var.cell(row, _var_col("5. Definisi *")).value = "Tidak akan disimpan."
        keg = book["MS-Keg"]
        row = keg.max_row + 1
        keg.cell(row, 1).value, keg.cell(row, 3).value, keg.cell(row, 4).value = ds.title, "9.9", "Rincian karangan"
        keg.cell(row, 5).value = "Tidak akan disimpan."

    result = _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.commit()
    assert result.unknown == [f'MS-Keg baris {KEG_ROWS + 2}: rincian No. 9.9 "Rincian karangan" tidak dikenal',
                              'MS-Var baris 7: tabel "Tabel lama", kolom "jumlah" tidak ada di dataset ini',
                              'MS-Var baris 8: tabel "Puskesmas", kolom "kolom_hilang" tidak ada di dataset ini']
    assert not result.changed and _rows(ds) == (None, [], [])


# --------------------------------------------------------------------------- refusals


def test_a_bad_choice_is_refused_with_sheet_row_and_field_and_nothing_is_saved(stat: Any) -> None:
    ds = stat["draft"]

    def edit(book: Any) -> None:
        book["MS-Keg"].cell(_keg_row(book, "3.2"), 5).value = "Tujuan yang tidak boleh tersimpan."
        book["MS-Var"].cell(_var_row(book, "jumlah"), _var_col("8. Tipe data *")).value = "Teks bebas"
        book["MS-Ind"].cell(2, 1).value = ds.title
        book["MS-Ind"].cell(2, IND_HEADERS.index("2. Nama indikator *") + 1).value = "Rasio"
        book["MS-Ind"].cell(2, IND_HEADERS.index("10. Apakah kolom (2) indikator komposit? *") + 1).value = "Mungkin"

    with pytest.raises(ms.StatistikImportError) as refused:
        _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.rollback()
    problems = [(p.sheet, p.row, p.field) for p in refused.value.problems]
    assert problems == [("MS-Var", 4, "8. Tipe data"), ("MS-Ind", 2, "10. Apakah kolom (2) indikator komposit?")]
    assert 'Isian "Teks bebas": Pilih salah satu: Integer, Float, Char/Karakter, String, Array' in \
        refused.value.problems[0].problem
    assert _rows(ds) == (None, [], []) and ms.load(ds).keg["tujuan"] == ""


def test_a_bad_choice_on_the_page(scratch_client: Any, stat: Any) -> None:
    ds = stat["draft"]
    sign_in(scratch_client, "produsen")

    def edit(book: Any) -> None:
        book["MS-Keg"].cell(_keg_row(book, "3.2"), 5).value = "Tujuan yang tidak boleh tersimpan."
        book["MS-Keg"].cell(_keg_row(book, "7.2"), 5).value = "Ramalan"

    resp = _post(scratch_client, ds.slug, _edited(_export(ds), edit))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "Tidak ada yang diimpor" in html and 'id="file-error"' in html
    assert 'aria-describedby="file-help file-error"' in html and 'aria-invalid="true"' in html
    row = _keg_row(load_workbook(io.BytesIO(_export(ds))), "7.2")
    [problem] = _report(html)
    assert problem[:3] == ("MS-Keg", str(row), "7.2. Metode analisis")
    assert problem[3].startswith('Isian "Ramalan": Pilih salah satu: Deskriptif, Inferensia')
    assert ms.load(ds).keg["tujuan"] == "" and _rows(ds) == (None, [], [])


def test_the_import_refuses_what_the_form_refuses(stat: Any) -> None:
    """An option the printed form does not have, a 5.3 method of the other kind of sample, a
    stage ending before it starts, a count that is no whole number: named by row, nothing saved."""
    ds = _filled(stat["draft"])
    before = _rows(ds)

    def edit(book: Any) -> None:
        keg = book["MS-Keg"]
        keg.cell(_keg_row(book, "4.2"), 5).value = "Tidak tetap"
        keg.cell(_keg_row(book, label="Cara pengumpulan data"), 5).value = "survei"
        keg.cell(_keg_row(book, "5.2"), 5).value = "Sampel probabilitas"
        keg.cell(_keg_row(book, "5.3"), 5).value = "Snowball Sampling"
        keg.cell(_keg_row(book, "3.3.5.a"), 5).value = datetime(2026, 5, 20)
        keg.cell(_keg_row(book, "3.3.5.b"), 5).value = "01/05/2026"
        keg.cell(_keg_row(book, "6.6.a"), 5).value = "tiga"

    with pytest.raises(ms.StatistikImportError) as refused:
        _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.rollback()
    book = load_workbook(io.BytesIO(_export(ds)))
    found = {(p.row, p.field): p.problem for p in refused.value.problems}
    assert set(found) == {(_keg_row(book, "4.2"), "4.2. Frekuensi penyelenggaraan"),
                          (_keg_row(book, "5.3"), "5.3. Metode yang digunakan"),
                          (_keg_row(book, "3.3.5.b"), "3.3.5.b. Analisis: akhir"),
                          (_keg_row(book, "6.6.a"), "6.6.a. Supervisor/penyelia/pengawas (orang)")}
    assert "Pilih salah satu: Harian" in found[(_keg_row(book, "4.2"), "4.2. Frekuensi penyelenggaraan")]
    assert "metode sampel nonprobabilitas" in found[(_keg_row(book, "5.3"), "5.3. Metode yang digunakan")]
    assert "sebelum tanggal awal (20/05/2026)" in found[(_keg_row(book, "3.3.5.b"), "3.3.5.b. Analisis: akhir")]
    assert _rows(ds) == before


def _report(html: str) -> list[tuple[str, ...]]:
    """The rows of the import page's problem table, as cell texts."""
    import html as entities
    import re

    table = html[html.index('<table class="import-report"'):html.index("</table>")]
    return [tuple(entities.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                  for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
            for row in re.findall(r"<tr role=\"row\">(.*?)</tr>", table.split("<tbody", 1)[1], re.S)]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def _no_form_sheets() -> bytes:
    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(["a", "b"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("case", "expected"), [
    ("csv", "bukan arsip ZIP Excel"),
    ("pdf", "bukan arsip ZIP Excel"),
    ("truncated", "bukan arsip ZIP Excel"),
    ("zip", "rusak atau tidak dapat dibaca"),
    ("no_sheets", "tidak memuat lembar MS-Keg, MS-Var atau MS-Ind"),
    ("empty", "Berkas kosong"),
    ("oversized", "Berkas lebih dari 2 KB"),
])
def test_files_that_cannot_be_imported_are_refused(scratch_client: Any, stat: Any, monkeypatch: Any, case: str,
                                                   expected: str) -> None:
    ds = stat["draft"]
    exported = _export(ds)
    data = {"csv": b"Dataset;Blok;No.;Rincian;Isian\n;;3.2;Tujuan;x\n",
            "pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n",
            "truncated": exported[: len(exported) // 2],
            "zip": _zip({"catatan.txt": b"bukan workbook"}),
            "no_sheets": _no_form_sheets(),
            "empty": b"",
            "oversized": exported}[case]
    if case == "oversized":
        monkeypatch.setitem(scratch_client.application.config, "STATISTIK_IMPORT_MAX_BYTES", 2 * 1024)
    sign_in(scratch_client, "produsen")
    resp = _post(scratch_client, ds.slug, data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert expected in html and "Tidak ada yang diimpor" in html
    assert _rows(ds) == (None, [], [])
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "statistik.import")) is None


def test_too_many_indicators_are_refused(stat: Any) -> None:
    ds = stat["draft"]

    def edit(book: Any) -> None:
        ind = book["MS-Ind"]
        for n in range(1, ms.MAX_INDICATORS + 2):
            ind.append([ds.title, n, f"Indikator {n}"])

    with pytest.raises(ms.StatistikImportError) as refused:
        _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.rollback()
    [problem] = refused.value.problems
    assert problem.sheet == "MS-Ind" and f"Paling banyak {ms.MAX_INDICATORS} indikator" in problem.problem
    assert _rows(ds) == (None, [], [])


def test_a_field_twice_or_an_indicator_number_that_skips_is_refused(stat: Any) -> None:
    ds = stat["draft"]

    def edit(book: Any) -> None:
        keg = book["MS-Keg"]
        keg.append([ds.title, "", "3.2", "Tujuan kegiatan", "Satu"])
        keg.append([ds.title, "", "3.2", "Tujuan kegiatan", "Dua"])
        book["MS-Ind"].append([ds.title, 3, "Indikator ketiga tanpa yang pertama"])

    with pytest.raises(ms.StatistikImportError) as refused:
        _import(stat["user_produsen"], ds, _edited(_export(ds), edit))
    db.session.rollback()
    found = {(p.sheet, p.field): p.problem for p in refused.value.problems}
    assert f"sudah diisi di baris {KEG_ROWS + 2}" in found[("MS-Keg", "3.2. Tujuan kegiatan")]
    assert "jadi indikator baru berikutnya ke-1" in found[("MS-Ind", "Indikator ke-")]


# --------------------------------------------------------------------------- who, when, audit


def test_another_opd_producer_and_a_citizen_are_refused(scratch_client: Any, stat: Any) -> None:
    ds = stat["draft"]
    data = _edited(_export(ds), lambda book: setattr(book["MS-Keg"].cell(_keg_row(book, "3.2"), 5), "value", "X"))
    with pytest.raises(Forbidden):
        _import(stat["producer_dumai"], ds, data)
    with pytest.raises(Forbidden):
        _import(AnonymousActor(), ds, data)
    db.session.rollback()
    path = f"/kelola/dataset/{ds.slug}/metadata-statistik/impor"
    anonymous = scratch_client.post(path, data={"csrf_token": csrf_of(scratch_client, "/masuk"),
                                                "file": (io.BytesIO(data), "m.xlsx")},
                                    content_type="multipart/form-data")
    assert anonymous.status_code in (302, 401)  # to the sign-in page, as the forms do
    sign_in(scratch_client, "produsen.dumai")
    token = csrf_of(scratch_client, "/kelola/")
    resp = scratch_client.post(path, data={"csrf_token": token, "file": (io.BytesIO(data), "m.xlsx")},
                               content_type="multipart/form-data")
    assert resp.status_code in (403, 404)
    assert scratch_client.get(path).status_code in (403, 404)
    assert _rows(ds) == (None, [], [])


def test_a_published_dataset_only_through_a_revision(scratch_client: Any, stat: Any) -> None:
    published = stat["published"]
    data = _edited(_export(published),
                   lambda book: setattr(book["MS-Keg"].cell(_keg_row(book, "3.1"), 5), "value", "Lewat impor."))
    with pytest.raises(Conflict, match="buat revisi"):
        _import(stat["user_produsen"], published, data)
    db.session.rollback()
    sign_in(scratch_client, "produsen")
    page = scratch_client.get(f"/kelola/dataset/{published.slug}/metadata-statistik").get_data(as_text=True)
    assert "Impor dari XLSX" not in page  # no form on a locked page
    resp = _post(scratch_client, published.slug, data)
    assert resp.status_code == 409 and "buat revisi untuk mengubahnya" in resp.get_data(as_text=True)
    assert ms.load(published).keg["latar_belakang"] == ""
    # The revision takes the published dataset's workbook (its rows name the published slug).
    revision = review.open_revision(SYSTEM, published)
    db.session.commit()
    resp = _post(scratch_client, revision.slug, data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    assert ms.load(revision).keg["latar_belakang"] == "Lewat impor."
    assert ms.load(published).keg["latar_belakang"] == ""


def test_page_import_flashes_what_changed_and_audits_once(scratch_client: Any, stat: Any) -> None:
    ds = stat["draft"]
    sign_in(scratch_client, "produsen")
    page = scratch_client.get(f"/kelola/dataset/{ds.slug}/metadata-statistik/variabel").get_data(as_text=True)
    assert 'action="/kelola/dataset/' + ds.slug + '/metadata-statistik/impor"' in page
    assert 'aria-describedby="ms-import-file-help"' in page and "Sel kosong tidak mengubah isian" in page

    def edit(book: Any) -> None:
        book["MS-Keg"].cell(_keg_row(book, "3.1"), 5).value = "Dari Excel."
        book["MS-Keg"].cell(1, 7).value = "Catatan"
        book["MS-Var"].append([ds.title, "Tabel lama", "x", "x"])
        book["MS-Ind"].append([ds.title, None, "Rasio nakes"])

    data = _edited(_export(ds), edit)
    resp = _post(scratch_client, ds.slug, data)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/{ds.slug}/metadata-statistik#kurang")
    html = scratch_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Impor XLSX selesai. Berubah: 1 isian MS-Keg, 0 variabel MS-Var, 1 indikator MS-Ind (1 baru)." in html
    assert "kolom yang tidak dikenal: MS-Keg: &#34;Catatan&#34;" in html
    assert "MS-Var baris 7: tabel &#34;Tabel lama&#34;, kolom &#34;x&#34; tidak ada di dataset ini" in html
    assert "isian wajib yang kosong" in html and 'id="kurang"' in html and "Dari Excel." in html
    [row] = db.session.scalars(select(AuditLog).where(AuditLog.action == "statistik.import")).all()
    assert row.object_id == ds.id and row.actor_label
    assert (row.summary["ms_keg"], row.summary["ms_var"], row.summary["ms_ind"]) == (1, 0, 1)
    assert row.summary["keg_fields"] == ["latar_belakang"] and row.summary["unknown_rows"] == 1
    # The other saves' own audit rows are not written by an import: one row says what it did.
    assert db.session.scalar(select(AuditLog).where(AuditLog.action.in_(
        ("statistik.keg.update", "statistik.ind.update")))) is None
    # A double submit: the same file again adds no indicator and changes nothing.
    again = _post(scratch_client, ds.slug, data)
    assert again.status_code == 302
    assert "tidak ada isian yang berubah" in scratch_client.get(again.headers["Location"]).get_data(as_text=True)
    assert [r.nama for r in ms.load(ds).indicators] == ["Rasio nakes"]


def test_the_import_page_explains_and_asks_for_a_file(scratch_client: Any, stat: Any) -> None:
    ds = stat["draft"]
    sign_in(scratch_client, "produsen")
    path = f"/kelola/dataset/{ds.slug}/metadata-statistik/impor"
    html = scratch_client.get(path).get_data(as_text=True)
    assert "Sel kosong tidak mengubah isian di portal" in html and "Paling besar 5" in html
    resp = scratch_client.post(path, data={"csrf_token": csrf_of(scratch_client, path)},
                               content_type="multipart/form-data")
    assert resp.status_code == 400 and "Pilih berkas XLSX" in resp.get_data(as_text=True)


def test_the_petunjuk_sheet_says_it_can_be_imported_back(stat: Any) -> None:
    book = load_workbook(io.BytesIO(_export(stat["draft"])), read_only=True)
    lines = [r[0] for r in book["Petunjuk"].iter_rows(values_only=True)]
    assert any("diimpor kembali" in line and "sel yang dikosongkan tidak mengubah isian" in line for line in lines)
