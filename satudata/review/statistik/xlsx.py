"""The BPS statistical metadata workbook, in the layout BPS asks regional producers for: one
sheet per form, fields numbered as on the forms of Peraturan BPS 5/2020.

- "MS-Keg": one row per field of each dataset's activity form, grouped by block (Identitas,
  Blok I. Penyelenggara ... Blok VIII. Diseminasi Hasil): Dataset, Blok, No., Rincian, Isian.
- "MS-Var": one row per variable (a column of a table), the dataset and table named, one column
  per MS-Var field (1. Nama variabel ... 12. Apakah variabel dapat diakses umum?).
- "MS-Ind": one row per indicator, one column per MS-Ind field.
- "Petunjuk": what the sheets hold; mandatory fields are marked with * in the headers.

Written with XlsxWriter with ``strings_to_formulas`` off, so a value starting with ``=`` stays
text.
"""

from __future__ import annotations

import io
from typing import Any

from satudata.review.statistik import spec

KEG_SHEET, VAR_SHEET, IND_SHEET, HELP_SHEET = "MS-Keg", "MS-Var", "MS-Ind", "Petunjuk"
KEG_HEADERS = ("Dataset", "Blok", "No.", "Rincian", "Isian")


def header(field: spec.Field) -> str:
    """A field's column header: its number and label, ``*`` when BPS marks it mandatory."""
    return field.numbered_label + (" *" if field.required else "")


VAR_HEADERS = ("Dataset", "Tabel", "Kolom", *(header(f) for f in spec.VAR_FIELDS))
IND_HEADERS = ("Dataset", "Indikator ke-", *(header(f) for f in spec.IND_FIELDS))


def write_workbook(metas: list[Any]) -> bytes:
    """The workbook of ``metas`` (``services.Metadata``: one dataset, or many for the bulk
    export)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#F4F6F8", "border": 1, "text_wrap": True, "valign": "top"})
    block = book.add_format({"bold": True, "bg_color": "#E3ECF5", "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    keg = book.add_worksheet(KEG_SHEET)
    for col, (text, width) in enumerate(zip(KEG_HEADERS, (36, 34, 6, 48, 60), strict=True)):
        keg.write_string(0, col, text, bold)
        keg.set_column(col, col, width)
    keg.freeze_panes(1, 0)
    r = 1
    for meta in metas:
        title = f"{meta.dataset.title} ({(meta.dataset.revision_of or meta.dataset).slug})"
        required = {f.key for f in spec.keg_required(meta.keg)}
        for section, members in spec.keg_sections():
            keg.write_string(r, 0, title, wrap)
            keg.write_string(r, 1, section, block)
            r += 1
            for f in members:
                keg.write_string(r, 0, title, wrap)
                keg.write_string(r, 1, section, wrap)
                keg.write_string(r, 2, f.number)
                keg.write_string(r, 3, f.label + (" *" if f.key in required else ""), wrap)
                keg.write_string(r, 4, meta.keg.get(f.key, ""), wrap)
                r += 1

    var = book.add_worksheet(VAR_SHEET)
    for col, text in enumerate(VAR_HEADERS):
        var.write_string(0, col, text, bold)
        var.set_column(col, col, 30 if col < 3 else 24)
    var.freeze_panes(1, 3)
    r = 1
    for meta in metas:
        for entry in meta.variables:
            cells = [meta.dataset.title, entry.resource.name, entry.column.name,
                     *(entry.values.get(f.key, "") for f in spec.VAR_FIELDS)]
            for col, text in enumerate(cells):
                var.write_string(r, col, text, wrap)
            r += 1

    ind = book.add_worksheet(IND_SHEET)
    for col, text in enumerate(IND_HEADERS):
        ind.write_string(0, col, text, bold)
        ind.set_column(col, col, 30 if col == 0 else 24)
    ind.freeze_panes(1, 2)
    r = 1
    for meta in metas:
        for number, row in enumerate(meta.indicators, start=1):
            values = meta.indicator_values(row)
            ind.write_string(r, 0, meta.dataset.title, wrap)
            ind.write_number(r, 1, number)
            for col, f in enumerate(spec.IND_FIELDS, start=2):
                ind.write_string(r, col, values.get(f.key, ""), wrap)
            r += 1

    helper = book.add_worksheet(HELP_SHEET)
    helper.set_column(0, 0, 110)
    lines = (
        "Metadata Statistik menurut Peraturan BPS Nomor 5 Tahun 2020 tentang Petunjuk Teknis Metadata Statistik.",
        "MS-Keg: metadata kegiatan statistik, satu baris per rincian, dikelompokkan per blok formulir.",
        "MS-Var: metadata variabel, satu baris per kolom setiap tabel dataset.",
        "MS-Ind: metadata indikator, satu baris per indikator.",
        "Tanda * menandai rincian yang wajib diisi menurut BPS (Blok V wajib bila cara pengumpulan datanya Survei).",
        "Isian yang belum diubah produsen berasal dari metadata dataset dan Table Schema tabelnya di portal.",
    )
    for i, line in enumerate(lines):
        helper.write_string(i, 0, line, wrap)
    book.close()
    return out.getvalue()
