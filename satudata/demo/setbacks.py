"""What went wrong on the way to publication, as it does in every region: a few tables whose
first upload failed validation and was fixed by a second upload, and a few submissions the
walidata sent back for changes before publishing them.

Without these the demo's kinerja dashboard would show every table passing its first validation
and no review ever returned, which no region's walidata would believe. Each setback is acted out
by ``satudata.demo`` through the same services a producer and a walidata use (upload, validation,
re-upload, submit, request changes, edit the metadata, submit again, publish), so the
validation runs, the file history (``ResourceRevision``), the review events and the audit log
all hold it; nothing is written as a row of its own.

Pure values and pure functions (no database, no clock): the first uploads are written from the
corrected tables, so they are the same bytes on every run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from satudata.demo.tables import Cell, Table, angka

__all__ = ["FLAWED_UPLOADS", "SENT_BACK", "FlawedUpload", "SentBack", "first_upload"]


# --------------------------------------------------------------------------- tables that failed at first


def _rupiah(cell: Cell) -> Cell:
    """Amounts copied from a printed report: "Rp 638.319.000.000"."""
    return f"Rp {angka(cell)}" if isinstance(cell, int) else cell


def _decimal_comma(cell: Cell) -> Cell:
    """A decimal written the Indonesian way by a spreadsheet in the id-ID locale: "72,81"."""
    return cell.replace(".", ",") if isinstance(cell, str) else cell


def _dash_for_zero(cell: Cell) -> Cell:
    """Nothing written as a dash, as printed tables do: "-" for 0."""
    return "-" if cell == 0 else cell


def _thousands(cell: Cell) -> Cell:
    """Whole numbers with thousands dots, as a spreadsheet formats them: "18.866"."""
    return angka(cell) if isinstance(cell, int) else cell


CELL_FLAWS: dict[str, Callable[[Cell], Cell]] = {
    "rupiah": _rupiah, "desimal-koma": _decimal_comma, "strip-untuk-nol": _dash_for_zero, "titik-ribuan": _thousands,
}


@dataclass(frozen=True)
class FlawedUpload:
    """The first upload of one demo table (``Table.filename``): the corrected table with ``flaw``
    in ``columns`` (a key of :data:`CELL_FLAWS`), or with a ``note`` row under it (the source line
    a printed table carries). Judged by the Table Schema of the corrected table (the template the
    OPD fills in), it fails; the second upload is the corrected table."""

    filename: str
    flaw: str = ""
    columns: tuple[str, ...] = ()
    note: str = ""


# First uploaded between February and August 2026 (the dates ``satudata.demo`` gives their
# datasets), so each of the year's first three quarters has some; in the province and each
# kabupaten/kota, Rokan Hilir (walidata.rohil's) twice.
FLAWED_UPLOADS: dict[str, FlawedUpload] = {u.filename: u for u in (
    FlawedUpload("realisasi_belanja_opd_rokan_hilir_2025.csv", "rupiah", ("anggaran_rp", "realisasi_rp")),
    FlawedUpload("ipm_kabupaten_kota_riau_2020_2025.csv", "desimal-koma",
                 tuple(f"ipm_{year}" for year in range(2020, 2026))),
    FlawedUpload("kondisi_jalan_dumai_2020_2025.csv",
                 note="Sumber: Survei kondisi jalan Dinas PUPR Kota Dumai, diolah Bidang Bina Marga"),
    FlawedUpload("fasilitas_kesehatan_kecamatan_rokan_hilir_2025.csv", "strip-untuk-nol",
                 ("rumah_sakit", "puskesmas_pembantu", "klinik_pratama")),
    FlawedUpload("sekolah_guru_murid_pelalawan_2025.csv", "titik-ribuan", ("guru", "murid")),
)}


def first_upload(t: Table, flawed: FlawedUpload) -> bytes:
    """The CSV the OPD uploaded first: ``t`` as written with ``flawed``'s mistake."""
    spoil = CELL_FLAWS.get(flawed.flaw)
    wanted = {t.header.index(c) for c in flawed.columns}
    rows: list[tuple[Cell, ...]] = [tuple(spoil(cell) if spoil is not None and i in wanted else cell
                                          for i, cell in enumerate(row)) for row in t.rows]
    if flawed.note:
        rows.append((flawed.note,) + ("",) * (len(t.header) - 1))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(t.header)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    if data == t.to_csv():
        raise AssertionError(f"{t.filename}: the flaw {flawed.flaw!r} changes nothing in {flawed.columns}")
    return data


# --------------------------------------------------------------------------- submissions sent back


@dataclass(frozen=True)
class SentBack:
    """A demo dataset (by slug) that its OPD first submitted with ``field`` written as ``first``;
    the walidata sent it back with ``note`` on that field (and ``message``), the OPD corrected
    the field to the dataset's own value, submitted again, and the walidata published it."""

    slug: str
    field: str  # a metadata field the review can note (``catalog.METADATA_FIELDS``)
    first: str
    note: str
    message: str


SENT_BACK: dict[str, SentBack] = {s.slug: s for s in (
    SentBack("kelahiran-kematian-bulanan-rokan-hilir-2025", "satuan", "orang",
             "Kelahiran dan kematian dihitung per peristiwa yang dicatat, bukan per orang: tulis satuannya "
             "\"peristiwa\".",
             "Satuan belum sesuai dengan isi tabel; lihat catatan pada kolom Satuan, lalu ajukan kembali."),
    SentBack("realisasi-apbd-provinsi-riau-2025", "definisi", "Realisasi APBD.",
             "Definisi baru mengulang judul. Jelaskan apa yang dihitung dan sampai kapan, misalnya pendapatan yang "
             "diterima dan belanja yang dibayarkan sampai 31 Desember.",
             "Mohon lengkapi definisi sebelum data ini diterbitkan."),
    SentBack("timbulan-pengelolaan-sampah-dumai-2019-2025", "satuan", "m³",
             "Kolom tabel ditulis dalam ton (timbulan_ton, terkelola_ton): samakan satuannya menjadi ton.",
             "Satuan metadata berbeda dengan satuan di tabel."),
)}
