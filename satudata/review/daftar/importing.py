"""Judging the rows of an imported Daftar Data workbook, all of them, before anything is saved.

Each problem names the Excel row, the column, what is wrong and what to write instead, so a
clerk can fix the spreadsheet without asking anyone. Nothing here writes: the services save
the rows only when there is no problem at all.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from satudata.accounts.models import Organization
from satudata.catalog.models import Dataset, Frequency
from satudata.errors import Invalid
from satudata.review.daftar.models import NOTES_MAX, TITLE_MAX, YEAR_MAX, YEAR_MIN, title_key
from satudata.review.daftar.xlsx import BY_KEY, COLUMNS, FREQUENCY_TEXT, Sheet

# Excel's day numbers of 1 January 1954 and 31 December 2119: a plain number in the date column
# within them is a date cell that lost its format; anything else is not a date.
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 19725, 80358
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
YES, NO = {"ya"}, {"tidak"}


@dataclass(frozen=True)
class Problem:
    """One thing to fix: Excel row (0: the file itself), column header, what is wrong, what to
    write."""

    row: int
    column: str
    problem: str
    fix: str


@dataclass(frozen=True)
class Record:
    """A row that passed every check, ready to save."""

    row: int
    year: int
    title: str
    organization: Organization
    standard_ref: str | None
    frequency: Frequency
    release_date: date
    is_priority: bool
    dataset: Dataset | None
    notes: str | None  # None: leave the item's notes as they are


@dataclass
class Checked:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _shown(value: Any) -> str:
    text = _text(value)
    return text if len(text) <= 60 else text[:57] + "…"


class _Organizations:
    """Finds an OPD by slug or by name (case and spacing do not matter), within the region."""

    def __init__(self, organizations: list[Organization], scope: set[int] | None) -> None:
        self.scope = scope
        self.by_slug = {o.slug.casefold(): o for o in organizations}
        self.by_name: dict[str, list[Organization]] = {}
        for org in organizations:
            self.by_name.setdefault(_text(org.name).casefold(), []).append(org)
        self.names = {_text(o.name).casefold(): o for o in organizations if scope is None or o.id in scope}

    def find(self, value: Any, column: str, row: int) -> Organization | Problem:
        text = _text(value)
        key = text.casefold()
        found = [self.by_slug[key]] if key in self.by_slug else self.by_name.get(key, [])
        if len(found) > 1:
            inside = [o for o in found if self.scope is None or o.id in self.scope]
            found = inside or found
        if not found:
            close = difflib.get_close_matches(key, list(self.names), n=2, cutoff=0.75)
            hint = " Mungkin maksud Anda: " + "; ".join(
                f"{self.names[c].name} ({self.names[c].slug})" for c in close) + "." if close else ""
            return Problem(row, column, f'OPD "{_shown(text)}" tidak dikenal.',
                           "Tulis nama OPD persis seperti di portal, atau slug-nya (lembar Referensi)." + hint)
        if len(found) > 1:
            return Problem(row, column, f'Nama "{_shown(text)}" dipakai lebih dari satu organisasi.',
                           "Tulis slug-nya: " + ", ".join(o.slug for o in found) + ".")
        org = found[0]
        if self.scope is not None and org.id not in self.scope:
            return Problem(row, column, f"{org.name} berada di luar wilayah walidata Anda.",
                           "Hapus baris ini; Daftar Data OPD itu diisi oleh walidata wilayahnya.")
        return org


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX:
            from openpyxl.utils.datetime import from_excel

            found = from_excel(value)
            return found.date() if isinstance(found, datetime) else None
        return None
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


_FREQUENCIES = {**{t.casefold(): f for f, t in FREQUENCY_TEXT.items()},
                **{f.value: f for f in Frequency}, "tidak tentu": Frequency.TIDAK_TENTU}


def check_rows(sheet: Sheet, *, organizations: list[Organization], scope: set[int] | None,
               resolve_standard: Callable[[str], str | None],
               find_dataset: Callable[[str], Dataset | None]) -> Checked:
    """Every row of ``sheet`` checked: the records when all are right, else every problem.

    ``scope`` is the organisations the importing walidata keeps (None: all, an admin);
    ``resolve_standard`` turns a standard's name or name@version into the reference to store
    (``Invalid`` when unknown); ``find_dataset`` finds a dataset by slug, id or address.
    """
    out = Checked()
    header = _header_problems(sheet)
    if header:
        out.problems = header
        return out
    if not sheet.rows:
        out.problems.append(Problem(2, "", "Tidak ada baris data di bawah judul kolom.",
                                    "Isi satu baris per data mulai baris 2, lalu impor lagi."))
        return out
    orgs = _Organizations(organizations, scope)
    standards: dict[str, str | Problem | None] = {}
    seen: dict[tuple[int, int, str], int] = {}
    for number, cells in sheet.rows:
        record = _check_row(number, cells, orgs, standards, resolve_standard, find_dataset, out.problems)
        if record is None:
            continue
        key = (record.year, record.organization.id, title_key(record.title))
        if key in seen:
            out.problems.append(Problem(number, BY_KEY["title"].header,
                                        f"Baris ini sama dengan baris {seen[key]} (tahun, OPD dan judul data sama).",
                                        "Hapus salah satu baris, atau bedakan judul datanya."))
            continue
        seen[key] = number
        out.records.append(record)
    order = {c.header: i for i, c in enumerate(COLUMNS)}
    out.problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    if out.problems:
        out.records = []
    return out


def _header_problems(sheet: Sheet) -> list[Problem]:
    problems = [Problem(1, c.header, f'Kolom "{c.header}" tidak ada di baris 1 (judul kolom).',
                        "Tambahkan judul kolom itu di baris 1 (lihat lembar Petunjuk), atau mulai dari berkas "
                        "ekspor Daftar Data.")
                for c in COLUMNS if c.required and c.key not in sheet.columns]
    problems += [Problem(1, name, f'Judul kolom "{name}" muncul lebih dari sekali.',
                         "Hapus atau ganti nama salah satu kolom itu.") for name in sheet.duplicated]
    return problems


def _check_row(number: int, cells: dict[str, Any], orgs: _Organizations,
               standards: dict[str, str | Problem | None], resolve_standard: Callable[[str], str | None],
               find_dataset: Callable[[str], Dataset | None], problems: list[Problem]) -> Record | None:
    """One row: its record, or None after adding its problems."""
    found: list[Problem] = []

    def problem(key: str, what: str, fix: str | None = None) -> None:
        column = BY_KEY[key]
        found.append(Problem(number, column.header, what, fix or column.how))

    def blank(key: str) -> bool:
        return _text(cells.get(key)) == "" and not isinstance(cells.get(key), datetime | date)

    year = _year(cells.get("year"))
    if blank("year"):
        problem("year", "Tahun kosong.")
    elif year is None or not YEAR_MIN <= year <= YEAR_MAX:
        problem("year", f'Tahun "{_shown(cells.get("year"))}" tidak dikenali.',
                f"Tulis tahun rencana 4 angka antara {YEAR_MIN} dan {YEAR_MAX}, misalnya 2026.")
        year = None

    title = _text(cells.get("title"))
    if not title:
        problem("title", "Judul data kosong.")
    elif len(title) > TITLE_MAX:
        problem("title", f"Judul data {len(title)} karakter, lebih dari batas {TITLE_MAX}.",
                f"Singkat judulnya menjadi paling banyak {TITLE_MAX} karakter.")

    org: Organization | None = None
    if blank("organization"):
        problem("organization", "OPD produsen kosong.")
    else:
        match = orgs.find(cells.get("organization"), BY_KEY["organization"].header, number)
        if isinstance(match, Problem):
            found.append(match)
        else:
            org = match

    standard: str | None = None
    if not blank("standard") and "standard" in cells:
        text = _text(cells.get("standard"))
        if text not in standards:
            try:
                standards[text] = resolve_standard(text)
            except Invalid:
                standards[text] = Problem(number, BY_KEY["standard"].header,
                                          f'Standar data "{_shown(text)}" tidak ada di pustaka standar.',
                                          BY_KEY["standard"].how + " Daftarnya ada di lembar Referensi.")
        resolved = standards[text]
        if isinstance(resolved, Problem):
            found.append(Problem(number, resolved.column, resolved.problem, resolved.fix))
        else:
            standard = resolved

    frequency = _FREQUENCIES.get(_text(cells.get("frequency")).casefold())
    if blank("frequency"):
        problem("frequency", "Frekuensi kosong.")
    elif frequency is None:
        problem("frequency", f'Frekuensi "{_shown(cells.get("frequency"))}" tidak dikenal.')

    release = _date(cells.get("release_date"))
    if blank("release_date"):
        problem("release_date", "Jadwal rilis kosong.")
    elif release is None:
        problem("release_date", f'Tanggal "{_shown(cells.get("release_date"))}" tidak dikenali.')

    priority = False
    raw_priority = cells.get("priority")
    if isinstance(raw_priority, bool):
        priority = raw_priority
    elif not blank("priority") and "priority" in cells:
        word = _text(raw_priority).casefold()
        if word in YES | NO:
            priority = word in YES
        else:
            problem("priority", f'"{_shown(raw_priority)}" bukan Ya atau Tidak.')

    dataset: Dataset | None = None
    if not blank("dataset") and "dataset" in cells:
        dataset = find_dataset(_text(cells.get("dataset")))
        if dataset is None:
            problem("dataset", f'Dataset "{_shown(cells.get("dataset"))}" tidak ditemukan.')
        elif org is not None and dataset.organization_id != org.id:
            problem("dataset", f'Dataset "{_shown(dataset.title)}" bukan milik {org.name}.',
                    "Tulis slug dataset milik OPD produsen baris ini, atau kosongkan.")
            dataset = None

    notes: str | None = None
    if not blank("notes") and "notes" in cells:
        notes = str(cells.get("notes")).strip()
        if len(notes) > NOTES_MAX:
            problem("notes", f"Catatan {len(notes)} karakter, lebih dari batas {NOTES_MAX}.",
                    f"Singkat catatannya menjadi paling banyak {NOTES_MAX} karakter.")

    if found:
        problems.extend(found)
        return None
    assert year is not None and org is not None and frequency is not None and release is not None
    return Record(row=number, year=year, title=title, organization=org, standard_ref=standard, frequency=frequency,
                  release_date=release, is_priority=priority, dataset=dataset, notes=notes)
