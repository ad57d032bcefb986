"""Judging an uploaded statistical metadata workbook against one dataset, before anything is
saved: which rows are this dataset's, which field, column or indicator each names, what would
change, and every problem, named by sheet, Excel row and field.

The rules (docs/metadata-statistik.md, "Import from XLSX"):

- **Empty cells keep the portal's value.** A filled cell replaces it; an empty one leaves the
  field as it is, so a partial sheet wipes nothing (clearing a field is done in the form). The
  round trip holds: an exported workbook imported unchanged changes nothing, and creates no row
  (a dataset whose metadata was never started stays so).
- **Rows of other datasets** (the bulk export) are ignored and counted: a row is this dataset's
  when its "Dataset" cell is empty, its title, its slug, or "title (slug)" as MS-Keg writes it
  (a revision answers to its published dataset's slug and title too).
- **MS-Keg** rows are matched by "No." (the field's number on the BPS form), else by "Rincian"
  (the label, with or without ``*``); **MS-Var** rows by (Tabel, Kolom) against the dataset's
  tables and Table Schema columns; **MS-Ind** rows by "Indikator ke-" (the number the export
  writes), else by their order among the dataset's rows: row n is indicator n. A number past
  the saved indicators adds one, numbered on without a gap (3 saved: the new ones are 4, 5 ...).
  Rows name positions, so the same file imported twice adds nothing; the import never removes
  an indicator (the MS-Ind form does).
- Cells Excel turned into numbers, dates or booleans are read back as text: 2025.0 -> "2025",
  0.05 -> "0,05", a date -> "31/03/2026" (a date field stores it as 2026-03-31), TRUE -> "Ya".
  A choice written in another case is the
  listed choice ("tahunan" -> "Tahunan"); several choices are separated by ``;`` or line breaks.
  What the values must be is checked by the services' own check (:func:`spec.clean_values`),
  when they save.

Nothing here writes; :func:`satudata.review.statistik.services.import_xlsx` saves the plan.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from satudata.errors import Invalid
from satudata.review.statistik import spec, xlsx

SHEET_ORDER = {xlsx.KEG_SHEET: 0, xlsx.VAR_SHEET: 1, xlsx.IND_SHEET: 2}
NAMED = 10  # how many unknown rows or columns a report names before "dan N lainnya"


@dataclass(frozen=True)
class Problem:
    """One thing to fix before anything is saved: the sheet ("" for the file), the Excel row (0:
    the sheet or the file itself), the field or column, what is wrong, what to do."""

    sheet: str
    row: int
    field: str
    problem: str
    fix: str


@dataclass
class ImportResult:
    """What an import changed and what it left aside."""

    keg: list[str] = field(default_factory=list)  # MS-Keg field keys changed
    var: list[str] = field(default_factory=list)  # "table/column" of each MS-Var variable changed
    ind: int = 0  # MS-Ind indicators changed
    ind_added: int = 0  # of which new
    sheets: list[str] = field(default_factory=list)  # the form sheets read
    other_rows: dict[str, int] = field(default_factory=dict)  # sheet -> rows of other datasets
    ignored_columns: list[str] = field(default_factory=list)  # 'MS-Var: "Catatan"'
    unknown: list[str] = field(default_factory=list)  # rows naming no field, table or column of the dataset
    other_sheets: list[str] = field(default_factory=list)
    missing: Any = None  # services.Missing afterwards (set by the service)

    @property
    def changed(self) -> bool:
        return bool(self.keg or self.var or self.ind)

    def audit_data(self) -> dict[str, Any]:
        return {"ms_keg": len(self.keg), "ms_var": len(self.var), "ms_ind": self.ind, "ms_ind_added": self.ind_added,
                "keg_fields": self.keg, "var_columns": self.var[:200], "sheets": self.sheets,
                "other_dataset_rows": self.other_rows, "ignored_columns": self.ignored_columns[:50],
                "unknown_rows": len(self.unknown)}


class StatistikImportError(Invalid):
    """The workbook cannot be imported; nothing was saved. ``problems`` is the report."""

    def __init__(self, message: str, problems: list[Problem], result: ImportResult | None = None) -> None:
        super().__init__(message, details={"file": [message]})
        self.problems = sorted(problems, key=lambda p: (SHEET_ORDER.get(p.sheet, -1), p.row))
        self.result = result or ImportResult()


# --------------------------------------------------------------------------- the file


def read_upload(stream: IO[bytes], *, max_bytes: int, max_rows: int, max_unpacked: int) -> xlsx.Book:
    """The form sheets of an uploaded workbook; :class:`StatistikImportError` when the upload is
    empty, larger than ``max_bytes``, or not a statistical metadata workbook."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
        raise _file_error("Berkas terlalu besar.", f"Berkas lebih dari {size}.",
                          f"Metadata statistik satu dataset jauh lebih kecil dari {size}: hapus gambar dan lembar "
                          "lain, atau hapus baris dataset lain bila berkasnya dari ekspor massal, lalu unggah lagi.")
    if not data:
        raise _file_error("Berkas kosong.", "Tidak ada berkas yang diunggah, atau berkasnya kosong.",
                          "Pilih berkas XLSX metadata statistik yang sudah diisi.")
    with tempfile.TemporaryDirectory(prefix="statistik-") as tmp:
        path = Path(tmp) / "metadata-statistik.xlsx"
        path.write_bytes(data)
        try:
            return xlsx.read_workbook(path, max_rows=max_rows, max_unpacked=max_unpacked)
        except xlsx.SpreadsheetError as err:
            raise _file_error("Berkas ini tidak dapat dibaca sebagai metadata statistik.", err.message,
                              err.fix) from None


def _file_error(message: str, problem: str, fix: str) -> StatistikImportError:
    return StatistikImportError(f"Tidak ada yang diimpor. {message}", [Problem("", 0, "", problem, fix)])


# --------------------------------------------------------------------------- cells as text


def cell_text(value: Any) -> str:
    """A cell as the text a producer would have typed (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.15g}".replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time(0) else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _number_text(value: Any) -> str:
    """An MS-Keg "No." cell: 3.2 (a number Excel made of "3.2") stays "3.2"."""
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return f"{value:.15g}"
    return cell_text(value).strip().rstrip(".").replace(",", ".")


def _name(value: Any) -> str:
    return " ".join(cell_text(value).split()).casefold()


def _shown(value: Any) -> str:
    text = " ".join(cell_text(value).split())
    return text if len(text) <= 60 else text[:57] + "…"


def _canonical(fields: tuple[spec.Field, ...], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with each choice in the list's own spelling ("tahunan" -> "Tahunan") and
    several choices as a list (split on ``;`` and line breaks); other text as it is."""
    out: dict[str, Any] = {}
    for f in fields:
        value = values.get(f.key, "")
        if isinstance(value, list):
            value = spec.MULTI_SEPARATOR.join(str(v) for v in value)
        text = str(value or "")
        if f.kind in (spec.CHOICE, spec.MULTI):
            listed = {c.casefold(): c for c in f.choices}
            if f.kind == spec.CHOICE:
                out[f.key] = listed.get(" ".join(text.split()).casefold(), text)
            else:
                parts = spec.split_multi(text.replace("\r", ";").replace("\n", ";"))
                out[f.key] = [listed.get(" ".join(p.split()).casefold(), p) for p in parts]
        else:
            out[f.key] = text
    return out


def _differs(fields: tuple[spec.Field, ...], new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    """The keys whose value differs once both are tidied as a save tidies them."""
    after, _ = spec.clean_values(fields, new)
    before, _ = spec.clean_values(fields, _canonical(fields, old))
    return [f.key for f in fields if after[f.key] != before[f.key]]


def _overlay(fields: tuple[spec.Field, ...], current: dict[str, str], cells: dict[str, Any]) -> dict[str, Any]:
    """The values after the import: a filled cell replaces the current value, an empty one
    keeps it."""
    merged: dict[str, Any] = {f.key: current.get(f.key, "") for f in fields}
    for key, value in cells.items():
        text = cell_text(value)
        if text.strip():
            merged[key] = text
    return _canonical(fields, merged)


# --------------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """What saving the workbook would do: the whole MS-Keg to save (None: nothing changes), the
    MS-Var entries that change, the whole MS-Ind list (None: nothing changes), the Excel row of
    each (to name it when the save's check refuses a value), the report and the problems."""

    result: ImportResult
    problems: list[Problem] = field(default_factory=list)
    keg: dict[str, Any] | None = None
    keg_rows: dict[str, int] = field(default_factory=dict)
    var: list[dict[str, Any]] = field(default_factory=list)
    var_rows: list[int] = field(default_factory=list)
    ind: list[dict[str, Any]] | None = None
    ind_rows: list[int | None] = field(default_factory=list)


class _Owner:
    """Tells whether a row's "Dataset" cell names the dataset being imported."""

    def __init__(self, dataset: Any) -> None:
        root = dataset.revision_of or dataset
        self.titles = {_name(dataset.title), _name(root.title)}
        self.slugs = {_name(dataset.slug), _name(root.slug)}

    def __call__(self, value: Any) -> bool:
        text = _name(value)
        if not text or text in self.titles or text in self.slugs:
            return True
        found = re.fullmatch(r"(.*)\(([^()]*)\)", text)
        return found is not None and found.group(2).strip() in self.slugs


def plan(book: xlsx.Book, meta: Any) -> Plan:
    """Match ``book`` against ``meta`` (``services.Metadata`` of the dataset, read after its
    lock): what would change, what is ignored, and the problems (which stop the import)."""
    result = ImportResult(sheets=[book.sheets[f].name for f in (xlsx.KEG, xlsx.VAR, xlsx.IND) if f in book.sheets],
                          other_sheets=book.others)
    out = Plan(result)
    owner = _Owner(meta.dataset)
    mine: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for form, sheet in book.sheets.items():
        label = xlsx.SHEET_NAMES[form]
        result.ignored_columns += [f'{label}: "{name}"' for name in sheet.ignored]
        out.problems += _header_problems(sheet)
        rows = [(n, cells) for n, cells in sheet.rows if owner(cells.get(xlsx.DATASET))]
        others = len(sheet.rows) - len(rows)
        if others:
            result.other_rows[label] = others
        mine[form] = rows
    if out.problems:
        return out
    if not any(mine.values()):
        title = meta.dataset.title
        if result.other_rows:
            problem = f'Tidak ada baris untuk dataset "{_shown(title)}"; semua baris milik dataset lain.'
            fix = ("Unduh berkas XLSX dari halaman metadata statistik dataset ini, atau tulis judul dataset ini di "
                   "kolom Dataset.")
        else:
            problem = "Lembar MS-Keg, MS-Var dan MS-Ind tidak berisi baris di bawah judul kolom."
            fix = "Isi berkas unduhan XLSX metadata statistik dataset ini, lalu unggah lagi."
        out.problems.append(Problem("", 0, "", problem, fix))
        return out
    if xlsx.KEG in mine:
        _plan_keg(out, mine[xlsx.KEG], meta)
    if xlsx.VAR in mine:
        _plan_var(out, mine[xlsx.VAR], meta)
    if xlsx.IND in mine:
        _plan_ind(out, mine[xlsx.IND], meta, xlsx.POSITION in book.sheets[xlsx.IND].columns)
    return out


def _header_problems(sheet: xlsx.Sheet) -> list[Problem]:
    label = xlsx.SHEET_NAMES[sheet.form]
    expected = {xlsx.KEG: ", ".join(xlsx.KEG_HEADERS), xlsx.VAR: "Dataset, Tabel, Kolom, lalu rincian MS-Var",
                xlsx.IND: "Dataset, Indikator ke-, lalu rincian MS-Ind"}[sheet.form]
    if not sheet.header_row:
        return [Problem(label, 0, "", f'Judul kolom tidak ditemukan di {xlsx.HEADER_SCAN_ROWS} baris pertama lembar '
                                      f'"{sheet.name}".',
                        f"Baris pertama lembar harus berisi judul kolom seperti di berkas unduhan: {expected}.")]
    problems = [Problem(label, sheet.header_row, name, f'Judul kolom "{name}" muncul lebih dari sekali.',
                        "Hapus atau ganti nama salah satu kolom itu.") for name in sheet.duplicated]
    need: list[tuple[bool, str]] = []
    if sheet.form == xlsx.KEG:
        need = [(xlsx.VALUE in sheet.columns, "Isian"),
                (xlsx.NUMBER in sheet.columns or xlsx.LABEL in sheet.columns, "No. atau Rincian")]
    elif sheet.form == xlsx.VAR:
        need = [(xlsx.TABLE in sheet.columns, "Tabel"), (xlsx.COLUMN in sheet.columns, "Kolom")]
    else:
        need = [(any(f.key in sheet.columns for f in spec.IND_FIELDS), "rincian MS-Ind (misalnya 1. Nama indikator)")]
    problems += [Problem(label, sheet.header_row, name, f'Kolom "{name}" tidak ada di baris judul kolom.',
                         f"Tambahkan judul kolom itu seperti di berkas unduhan: {expected}.")
                 for present, name in need if not present]
    return problems


_KEG_BY_NUMBER = {f.number.casefold(): f for f in spec.KEG_FIELDS if f.number}  # "1.2.A" is 1.2.a
_LABEL_COUNT = Counter(xlsx.normalise(f.label) for f in spec.KEG_FIELDS)
# A label names a field only when no other field has it ("Telepon" is 1.2.a and 2.2.c: the number
# decides); the numbered label always does.
_KEG_BY_LABEL = {**{xlsx.normalise(f.label): f for f in spec.KEG_FIELDS if _LABEL_COUNT[xlsx.normalise(f.label)] == 1},
                 **{xlsx.normalise(f.numbered_label): f for f in spec.KEG_FIELDS}}


def _plan_keg(out: Plan, rows: list[tuple[int, dict[str, Any]]], meta: Any) -> None:
    cells: dict[str, Any] = {}
    for number, row in rows:
        code, label = _number_text(row.get(xlsx.NUMBER)), xlsx.normalise(cell_text(row.get(xlsx.LABEL)))
        value = row.get(xlsx.VALUE)
        if (not code and not label) or (label and label == xlsx.normalise(cell_text(row.get(xlsx.BLOCK)))):
            if not code and not label and cell_text(value).strip():
                out.result.unknown.append(f"{xlsx.KEG_SHEET} baris {number}: Isian tanpa No. dan Rincian")
            continue  # a block's title row
        f = _KEG_BY_NUMBER.get(code.casefold()) or _KEG_BY_LABEL.get(label)
        if f is None:
            named = " ".join(p for p in (f"No. {_shown(code)}" if code else "",
                                         f'"{_shown(row.get(xlsx.LABEL))}"' if label else "") if p)
            out.result.unknown.append(f"{xlsx.KEG_SHEET} baris {number}: rincian {named} tidak dikenal")
            continue
        if not cell_text(value).strip():
            continue  # empty: the field keeps its value
        if f.key in out.keg_rows:
            out.problems.append(Problem(xlsx.KEG_SHEET, number, f.numbered_label,
                                        f"Rincian ini sudah diisi di baris {out.keg_rows[f.key]}.",
                                        "Isi setiap rincian di satu baris saja; hapus salah satunya."))
            continue
        out.keg_rows[f.key] = number
        cells[f.key] = value
    current = {f.key: meta.keg.get(f.key, "") for f in spec.KEG_FIELDS}
    merged = _overlay(spec.KEG_FIELDS, current, cells)
    out.result.keg = _differs(spec.KEG_FIELDS, merged, current)
    if out.result.keg:
        out.keg = merged


def _plan_var(out: Plan, rows: list[tuple[int, dict[str, Any]]], meta: Any) -> None:
    by_name: dict[tuple[str, str], list[Any]] = {}
    for entry in meta.variables:
        by_name.setdefault((_name(entry.resource.name), entry.column.name.casefold()), []).append(entry)
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        table, column = cell_text(row.get(xlsx.TABLE)).strip(), cell_text(row.get(xlsx.COLUMN)).strip()
        cells = {f.key: row[f.key] for f in spec.VAR_FIELDS if f.key in row}
        if not table or not column:
            if any(cell_text(v).strip() for v in cells.values()):
                out.result.unknown.append(f"{xlsx.VAR_SHEET} baris {number}: Tabel atau Kolom kosong")
            continue
        found = by_name.get((_name(table), column.casefold()), [])
        if len(found) > 1:  # two tables of one name, or columns differing only in case
            found = [e for e in found if e.column.name == column] or found
        if len(found) != 1:
            why = "ada di lebih dari satu tabel bernama itu" if found else "tidak ada di dataset ini"
            out.result.unknown.append(f'{xlsx.VAR_SHEET} baris {number}: tabel "{_shown(table)}", kolom '
                                      f'"{_shown(column)}" {why}')
            continue
        entry = found[0]
        key = (entry.resource.id, entry.column.name)
        if key in seen:
            out.problems.append(Problem(xlsx.VAR_SHEET, number, "Tabel, Kolom",
                                        f'Tabel "{entry.resource.name}", kolom "{entry.column.name}" sudah ada di '
                                        f"baris {seen[key]}.",
                                        "Isi setiap variabel di satu baris saja; hapus salah satunya."))
            continue
        seen[key] = number
        merged = _overlay(spec.VAR_FIELDS, entry.values, cells)
        if _differs(spec.VAR_FIELDS, merged, entry.values):
            out.var.append({"resource": entry.resource.id, "column": entry.column.name, **merged})
            out.var_rows.append(number)
            out.result.var.append(f"{entry.resource.name}/{entry.column.name}")


def _plan_ind(out: Plan, rows: list[tuple[int, dict[str, Any]]], meta: Any, numbered: bool) -> None:
    """Each row is the indicator its "Indikator ke-" names, or (no number, or no such column) the
    one of its place among the dataset's rows: positions, not appends, so the same file imported
    twice adds nothing. New ones follow the saved ones without a gap."""
    saved = [meta.indicator_values(r) for r in meta.indicators]
    placed: dict[int, tuple[int, dict[str, Any]]] = {}  # position -> (Excel row, cells)
    for order, (number, row) in enumerate(rows):
        cells = {f.key: row[f.key] for f in spec.IND_FIELDS if f.key in row}
        text = cell_text(row.get(xlsx.POSITION)).strip() if numbered else ""
        position = order
        if text:
            position = int(text) - 1 if text.isascii() and text.isdigit() and len(text) < 6 else -1
            if position < 0:
                out.problems.append(Problem(xlsx.IND_SHEET, number, "Indikator ke-",
                                            f'"{_shown(text)}" bukan nomor indikator.',
                                            "Tulis nomor indikator seperti di berkas unduhan (1, 2, ...)."))
                continue
        if position in placed:
            out.problems.append(Problem(xlsx.IND_SHEET, number, "Indikator ke-",
                                        f"Indikator ke-{position + 1} sudah ada di baris {placed[position][0]}.",
                                        "Isi setiap indikator di satu baris saja, dengan nomornya sendiri."))
            continue
        if position >= len(saved) and not any(cell_text(v).strip() for v in cells.values()):
            continue  # nothing to add
        placed[position] = (number, cells)
    new = sorted(p for p in placed if p >= len(saved))
    for position, expected in zip(new, range(len(saved), len(saved) + len(new)), strict=True):
        if position != expected:
            out.problems.append(Problem(
                xlsx.IND_SHEET, placed[position][0], "Indikator ke-",
                f"Indikator ke-{position + 1} melompati nomor: dataset ini punya {len(saved)} indikator, jadi "
                f"indikator baru berikutnya ke-{expected + 1}.",
                f"Nomori indikator baru {len(saved) + 1}, {len(saved) + 2}, dan seterusnya, atau kosongkan nomornya."))
            return
    blank = {f.key: "" for f in spec.IND_FIELDS}
    items: list[dict[str, Any]] = []
    for position in range(len(saved) + len(new)):
        number, cells = placed.get(position, (0, {}))
        before = saved[position] if position < len(saved) else blank
        item = _overlay(spec.IND_FIELDS, before, cells)
        if _differs(spec.IND_FIELDS, item, before):
            out.result.ind += 1
            out.result.ind_added += int(position >= len(saved))
        items.append(item)
        out.ind_rows.append(number or None)
    if out.result.ind:
        out.ind = items


# --------------------------------------------------------------------------- the save's refusal


def problems_of(err: Invalid, sheet: str, planned: Plan) -> list[Problem]:
    """The problems of a save refused by its check (``err.details`` by ``keg-<key>``,
    ``var-<i>-<key>``, ``ind-<i>-<key>``, ``_form``), named by sheet, Excel row and field."""
    fields = {xlsx.KEG_SHEET: spec.KEG_BY_KEY, xlsx.VAR_SHEET: spec.VAR_BY_KEY, xlsx.IND_SHEET: spec.IND_BY_KEY}[sheet]
    found: list[Problem] = []
    for where, messages in (err.details or {}).items():
        text = " ".join(messages if isinstance(messages, list) else [str(messages)])
        parts = where.split("-", 2)
        if where == "_form" or parts[0] not in ("keg", "var", "ind"):
            fix = ("Kurangi baris indikator baru; indikator yang sudah ada di portal ikut dihitung (impor tidak "
                   "menghapus indikator; hapus lewat formulir MS-Ind)." if sheet == xlsx.IND_SHEET
                   else "Perbaiki berkasnya, lalu unggah lagi.")
            found.append(Problem(sheet, 0, "", text, fix))
            continue
        key = parts[-1]
        f = fields.get(key)
        label = f.numbered_label if f is not None else key
        row = 0
        value: Any = None
        if parts[0] == "keg":
            row = planned.keg_rows.get(key, 0)
            value = (planned.keg or {}).get(key)
        elif parts[1].isdigit():
            index = int(parts[1])
            if parts[0] == "var" and index < len(planned.var):
                row, value = planned.var_rows[index], planned.var[index].get(key)
            elif parts[0] == "ind" and planned.ind is not None and index < len(planned.ind):
                row, value = planned.ind_rows[index] or 0, planned.ind[index].get(key)
        if isinstance(value, list):
            value = spec.MULTI_SEPARATOR.join(value)
        given = f'Isian "{_shown(value)}": ' if value else ""
        fix = ("Tulis persis salah satu pilihan di formulir portal (huruf besar-kecil boleh beda)."
               if f is not None and f.kind in (spec.CHOICE, spec.MULTI) else "Perbaiki isiannya, lalu unggah lagi.")
        if not row:
            fix += " Nilai ini sudah tersimpan di portal; perbaiki lewat formulirnya."
        found.append(Problem(sheet, row, label, given + text, fix))
    return found

