"""The kinerja workbook: the dashboard's (or the public summary's) figures as a spreadsheet.

Three sheets: "Ringkasan OPD" (one row per OPD for the chosen period, a total row per region
and one for every OPD), "Tren triwulanan" (one row per OPD and quarter of the year, then the
totals per quarter) and "Keterangan" (the period, the day the statuses are as of, and what each
column means). Headers in row 1, frozen, with a filter; shares as percentages (a cell format on
the fraction, so they sum and sort as numbers); a share or average with nothing to count is
"—", never 0 %. Written with XlsxWriter like the Daftar Data's workbook (``write_string``
never turns a name into a formula).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from satudata.kinerja.services import Figures, Summary

DASH = "—"


def _ratio(part: int, whole: int) -> float | None:
    """The exact share (a fraction the cell shows as a percentage); None when ``whole`` is 0."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Figures], float | int | None]
    kind: str = "int"  # int, pct (a fraction shown as a percentage), dec (one decimal)
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("Daftar Data jatuh tempo", lambda f: f.daftar.due),
    Column("Terbit tepat waktu", lambda f: f.daftar.on_time),
    Column("Terbit terlambat", lambda f: f.daftar.late),
    Column("Lewat jadwal, belum terbit", lambda f: f.daftar.overdue, width=16),
    Column("Belum jatuh tempo", lambda f: f.daftar.upcoming),
    Column("Ketepatan rilis", lambda f: _ratio(f.daftar.on_time, f.daftar.decided), "pct"),
    Column("Dataset terbit dinilai", lambda f: f.quality.datasets),
    Column("Rata-rata skor kualitas", lambda f: f.quality.average, "dec"),
    Column("Tabel diunggah", lambda f: f.validation.uploaded),
    Column("Lolos validasi pertama", lambda f: f.validation.passed),
    Column("Lolos validasi pertama (%)", lambda f: _ratio(f.validation.passed, f.validation.uploaded), "pct", 16),
    Column("Keputusan pemeriksaan", lambda f: f.review.decisions),
    Column("Median lama pemeriksaan (hari)", lambda f: f.review.median_days, "dec", 18),
    Column("Rata-rata lama pemeriksaan (hari)", lambda f: f.review.mean_days, "dec", 18),
    Column("Permohonan PPID dijawab", lambda f: f.ppid.answered),
    Column("Dijawab tepat waktu", lambda f: f.ppid.on_time),
    Column("PPID tepat waktu (%)", lambda f: _ratio(f.ppid.on_time, f.ppid.answered), "pct"),
    Column("Permohonan lewat tenggat, belum dijawab", lambda f: f.ppid.overdue, width=18),
)

DEFINITIONS = (
    ("Periode", "Satu tahun kalender atau satu triwulan (T1 Januari–Maret, T2 April–Juni, T3 Juli–September, "
                "T4 Oktober–Desember), menurut tanggal WIB."),
    ("Daftar Data", "Butir Daftar Data yang jadwal rilisnya jatuh pada periode itu, menurut statusnya pada tanggal "
                    "acuan (sama dengan kalender rilis). Tepat waktu: dataset pemenuhnya pertama kali terbit paling "
                    "lambat pada jadwal rilis. Lewat jadwal: jadwal rilis sudah lewat dan belum terbit. Ketepatan "
                    "rilis = tepat waktu ÷ (tepat waktu + terbit terlambat + lewat jadwal)."),
    ("Skor kualitas", "Skor 0–100 dataset yang terbit (kelengkapan metadata, standar data, tabel valid, format "
                      "terbuka, kemutakhiran), dinilai pada tanggal acuan. Setahun: semua dataset OPD yang terbit "
                      "sekarang. Triwulan: dataset yang pertama kali terbit pada triwulan itu."),
    ("Validasi pertama", "Tabel yang pertama kali diunggah pada periode itu dan sudah divalidasi; lolos bila hasil "
                         "validasi pertamanya valid. Tabel yang gagal lalu diperbaiki tetap dihitung gagal."),
    ("Lama pemeriksaan", "Dari pengajuan produsen sampai keputusan walidata (terbit atau minta perbaikan), dalam "
                         "hari, untuk keputusan pada periode itu."),
    ("PPID", "Permohonan informasi yang ditangani PPID OPD itu (diajukan kepadanya atau diteruskan kepadanya) dan "
             "dijawab dengan pemberitahuan tertulis pada periode itu; tepat waktu bila dijawab paling lambat pada "
             "tenggat yang tercatat pada permohonan itu (termasuk perpanjangan)."),
    ("—", "Tidak ada yang dapat dihitung pada periode itu (bukan 0 %)."),
)


def _writer(book: Any) -> Callable[[Any, int, int, Column, Figures, Any], None]:
    pct = book.add_format({"num_format": "0.0%"})
    dec = book.add_format({"num_format": "0.0"})
    dash = book.add_format({"align": "right"})

    def write(sheet: Any, row: int, col: int, column: Column, figures: Figures, bold: Any) -> None:
        value = column.value(figures)
        if value is None:
            sheet.write_string(row, col, DASH, dash)
        elif column.kind == "pct":
            sheet.write_number(row, col, value, pct)
        elif column.kind == "dec":
            sheet.write_number(row, col, value, dec)
        else:
            sheet.write_number(row, col, value, bold)

    return write


def write_workbook(summary: Summary, *, title: str) -> bytes:
    """The workbook of ``summary`` (its period, its OPD and regions)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#F4F6F8", "border": 1, "text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    write = _writer(book)

    main = book.add_worksheet("Ringkasan OPD")
    headers = ["Wilayah", "OPD", *(c.header for c in COLUMNS)]
    widths = [30, 44, *(c.width for c in COLUMNS)]
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        main.write_string(0, col, text, head)
        main.set_column(col, col, width)
    main.set_row(0, 45)
    main.freeze_panes(1, 2)
    r = 1
    for group in summary.groups:
        region = group.region.name if group.region is not None else "Tanpa wilayah"
        for row in group.rows:
            main.write_string(r, 0, region)
            main.write_string(r, 1, row.organization.name)
            for col, column in enumerate(COLUMNS, start=2):
                write(main, r, col, column, row.figures, None)
            r += 1
        main.write_string(r, 0, region, bold)
        main.write_string(r, 1, f"Jumlah {region}", bold)
        for col, column in enumerate(COLUMNS, start=2):
            write(main, r, col, column, group.total, bold)
        r += 1
    main.write_string(r, 0, "Seluruh wilayah", bold)
    main.write_string(r, 1, "Jumlah seluruh OPD", bold)
    for col, column in enumerate(COLUMNS, start=2):
        write(main, r, col, column, summary.total, bold)
    main.autofilter(0, 0, r, len(headers) - 1)

    trend = book.add_worksheet("Tren triwulanan")
    headers = ["Wilayah", "OPD", "Triwulan", *(c.header for c in COLUMNS)]
    widths = [30, 44, 10, *(c.width for c in COLUMNS)]
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        trend.write_string(0, col, text, head)
        trend.set_column(col, col, width)
    trend.set_row(0, 45)
    trend.freeze_panes(1, 3)
    r = 1
    year = summary.period.year
    for group in summary.groups:
        region = group.region.name if group.region is not None else "Tanpa wilayah"
        for row in group.rows:
            for q, figures in enumerate(row.quarters, start=1):
                trend.write_string(r, 0, region)
                trend.write_string(r, 1, row.organization.name)
                trend.write_string(r, 2, f"T{q} {year}")
                for col, column in enumerate(COLUMNS, start=3):
                    write(trend, r, col, column, figures, None)
                r += 1
    for q, figures in enumerate(summary.quarters, start=1):
        trend.write_string(r, 0, "Seluruh wilayah", bold)
        trend.write_string(r, 1, "Jumlah seluruh OPD", bold)
        trend.write_string(r, 2, f"T{q} {year}", bold)
        for col, column in enumerate(COLUMNS, start=3):
            write(trend, r, col, column, figures, bold)
        r += 1
    trend.autofilter(0, 0, r - 1, len(headers) - 1)

    notes = book.add_worksheet("Keterangan")
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 100)
    notes.write_string(0, 0, title, bold)
    notes.write_string(1, 0, "Periode")
    notes.write_string(1, 1, summary.period.label)
    notes.write_string(2, 0, "Status per tanggal")
    notes.write_string(2, 1, summary.today.strftime("%d/%m/%Y") + " (WIB)")
    for i, (term, text) in enumerate(DEFINITIONS, start=4):
        notes.write_string(i, 0, term, bold)
        notes.write_string(i, 1, text, wrap)
    book.close()
    return out.getvalue()
