"""The annual report as a workbook (XlsxWriter): Ringkasan Pasal 12, Per PPID, Permohonan (one row
per request), Keberatan (one row per objection), Laporan Layanan (the written parts). Every text
is written as a string cell, never a formula (``=...`` in a request's text stays text), and every
figure as a number with an Indonesian-readable number format."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from satudata.ppid import identity
from satudata.ppid.models import ApplicantType, Channel
from satudata.ppid.reports import (
    APPLICANT_LABELS,
    CHANNEL_LABELS,
    NARRATIVE_FIELDS,
    AnnualReport,
    intro,
    on_time_text,
    per_ppid_columns,
    summary_lines,
)


def render(report: AnnualReport) -> bytes:
    """The report as a workbook: Ringkasan Pasal 12, Per PPID, Permohonan (one row per request),
    Keberatan (one row per objection), Laporan Layanan (the written parts). Every text is a
    string cell (never a formula), every figure a number."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    book.set_properties({"title": f"Laporan Tahunan Layanan Informasi Publik {report.year} — {report.scope}",
                         "subject": "UU 14/2008 Pasal 12; Perki SLIP 1/2021", "author": report.site,
                         "keywords": "PPID, laporan tahunan, informasi publik"})
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "section": book.add_format({"bold": True, "bg_color": "#DDEBF7"}),
        "head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                 "valign": "top"}),
        "int": book.add_format({"num_format": "#,##0"}),
        "days": book.add_format({"num_format": "#,##0.0"}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "total": book.add_format({"bold": True, "num_format": "#,##0", "top": 1}),
    }

    def text(sheet: Any, row: int, col: int, value: str, style: Any = None) -> None:
        sheet.write_string(row, col, (value or "")[:32_000], style)

    def num(sheet: Any, row: int, col: int, value: float | int | None, kind: str = "int") -> None:
        if value is None:
            text(sheet, row, col, "–")
        elif kind == "pct":
            sheet.write_number(row, col, value / 100, fmt["pct"])
        else:
            sheet.write_number(row, col, value, fmt[kind])

    def day(sheet: Any, row: int, col: int, value: date | None) -> None:
        if value is None:
            text(sheet, row, col, "–")
        else:
            sheet.write_datetime(row, col, value, fmt["date"])

    def heading(sheet: Any, title: str) -> int:
        text(sheet, 0, 0, title, fmt["title"])
        text(sheet, 1, 0, report.scope, fmt["bold"])
        for i, line in enumerate(intro(report)[:2], start=2):
            text(sheet, i, 0, line)
        return 5

    sheet = book.add_worksheet("Ringkasan Pasal 12")
    sheet.set_column(0, 0, 78)
    sheet.set_column(1, 1, 14)
    row = heading(sheet, f"Laporan Tahunan Layanan Informasi Publik {report.year}")
    text(sheet, row, 0, "Uraian", fmt["head"])
    text(sheet, row, 1, "Jumlah", fmt["head"])
    for line in summary_lines(report):
        row += 1
        if line.kind == "section":
            text(sheet, row, 0, line.label, fmt["section"])
            text(sheet, row, 1, "", fmt["section"])
            continue
        text(sheet, row, 0, "    " * line.indent + line.label)
        num(sheet, row, 1, line.value, line.kind)

    sheet = book.add_worksheet("Per PPID")
    columns = per_ppid_columns()
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, len(columns) - 1, 13)
    row = heading(sheet, f"Angka layanan menurut PPID, {report.year}")
    text(sheet, row - 1, 0, "Tepat waktu: persentase yang diputus paling lambat pada batas waktunya. Terlambat: diputus "
                            "sesudah batas waktu, atau masih diproses dan batasnya sudah lewat.")
    for col, (title, _) in enumerate(columns):
        text(sheet, row, col, title, fmt["head"])
    sheet.freeze_panes(row + 1, 1)
    rows = [*report.per_ppid, *([report.figures] if report.organization is None else [])]
    for i, figures in enumerate(rows, start=row + 1):
        total = figures is report.figures and report.organization is None
        for col, (title, value) in enumerate(columns):
            got = value(figures)
            if col == 0:
                text(sheet, i, col, got, fmt["bold"] if total else None)
            else:
                num(sheet, i, col, got, "pct" if "%" in title else "days" if "hari" in title else "int")

    sheet = book.add_worksheet("Permohonan")
    headers = ["Nomor pendaftaran", "PPID", "Saluran", "Jenis pemohon", "Diterima", "Batas waktu", "Diputus",
               "Hari kerja", "Hasil", "Perpanjangan (hari kerja)", "Tepat waktu", "Pasal 17",
               "Rincian informasi (nomor serupa NIK disamarkan)"]
    widths = [22, 34, 16, 16, 12, 12, 12, 10, 30, 12, 12, 10, 70]
    row = heading(sheet, f"Waktu layanan per permohonan, {report.year}")
    text(sheet, row - 1, 0, "Tanpa identitas pemohon. Hari kerja: sejak pendaftaran sampai pemberitahuan tertulis. Lewat "
                            "batas: belum dijawab, dan batas waktunya sudah lewat. Pasal 17: huruf pengecualian "
                            "penolakan atau bagian yang dihitamkan.")
    for col, (title, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(col, col, width)
        text(sheet, row, col, title, fmt["head"])
    sheet.freeze_panes(row + 1, 1)
    sheet.autofilter(row, 0, row + len(report.requests), len(headers) - 1)
    for i, r in enumerate(report.requests, start=row + 1):
        text(sheet, i, 0, r.number)
        text(sheet, i, 1, r.ppid)
        text(sheet, i, 2, CHANNEL_LABELS.get(Channel(r.channel), r.channel))
        text(sheet, i, 3, APPLICANT_LABELS.get(ApplicantType(r.applicant_type), r.applicant_type))
        day(sheet, i, 4, r.received_on)
        day(sheet, i, 5, r.due_on)
        day(sheet, i, 6, r.decided_on)
        num(sheet, i, 7, r.working_days)
        text(sheet, i, 8, r.outcome)
        num(sheet, i, 9, r.extension_days)
        text(sheet, i, 10, on_time_text(r))
        text(sheet, i, 11, ", ".join(r.exemptions))
        text(sheet, i, 12, r.information)

    sheet = book.add_worksheet("Keberatan")
    headers = ["Nomor keberatan", "Nomor permohonan", "PPID", "Didaftarkan", "Batas tanggapan", "Ditanggapi",
               "Hari kerja", "Alasan (Pasal 35 ayat 1)", "Hasil", "Sengketa: nomor register Komisi Informasi",
               "Sengketa: tanggal"]
    widths = [26, 22, 34, 12, 12, 12, 10, 14, 30, 28, 12]
    row = heading(sheet, f"Keberatan yang didaftarkan, {report.year}")
    for col, (title, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(col, col, width)
        text(sheet, row, col, title, fmt["head"])
    sheet.freeze_panes(row + 1, 1)
    for i, o in enumerate(report.objections, start=row + 1):
        text(sheet, i, 0, o.number)
        text(sheet, i, 1, o.request_number)
        text(sheet, i, 2, o.ppid)
        day(sheet, i, 3, o.registered_on)
        day(sheet, i, 4, o.due_on)
        day(sheet, i, 5, o.decided_on)
        num(sheet, i, 6, o.working_days)
        text(sheet, i, 7, ", ".join(o.grounds))
        text(sheet, i, 8, o.outcome)
        text(sheet, i, 9, o.dispute_number or "–")
        day(sheet, i, 10, o.dispute_filed_on)
    if not report.objections:
        text(sheet, row + 1, 0, "Tidak ada keberatan yang didaftarkan pada tahun ini.")

    sheet = book.add_worksheet("Laporan Layanan")
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 100)
    row = heading(sheet, f"Laporan layanan informasi publik {report.year} (Perki SLIP 1/2021)")
    text(sheet, row, 0, "Angka permohonan, keberatan dan sengketa: lihat lembar Ringkasan Pasal 12 dan Per PPID.")
    row += 2
    if not report.narratives:
        text(sheet, row, 0, "Bagian tertulis laporan layanan (kebijakan, sumber daya, anggaran, kendala, "
                            "rekomendasi) belum diisi oleh PPID.")
    for name, narrative in report.narratives:
        text(sheet, row, 0, name, fmt["section"])
        text(sheet, row, 1, "", fmt["section"])
        row += 1
        for key, title, _ in NARRATIVE_FIELDS:
            text(sheet, row, 0, title, fmt["bold"])
            text(sheet, row, 1, identity.mask_numbers(getattr(narrative, key) or "") or "–", fmt["wrap"])
            row += 1
        row += 1
    book.close()
    return out.getvalue()
