"""The quick check of an upload before it replaces anything: is this a table we can read at all?

Validation (the RQ job) judges the *content* against the Table Schema and reports every error.
Before that, at upload time and in the web request, :func:`check_upload` refuses what cannot be
validated at all — an empty file, a header without rows, a binary file named ``.csv``, an XLSX
that is not a workbook or is a ZIP bomb, a header row of merged cells, a missing sheet, JSON
that is not an array of records — so the resource keeps its previous good file and the clerk
reads at once what to change. It reads a bounded part of the file (a few hundred KB of text,
the first rows of a sheet, the JSON records streamed).
"""

from __future__ import annotations

import codecs
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from satudata.validation import convert
from satudata.validation.engine import UnusableInput

TABULAR_FORMATS = ("CSV", "TSV", "XLSX", "JSON")
DOCUMENT_FORMATS = ("PDF", "DOCX", "ODT", "PPTX", "ODS", "ZIP", "GEOJSON", "KML", "SHP", "PNG", "JPG",
                    "JPEG", "TXT")
HEAD_BYTES = 256 * 1024


@dataclass(frozen=True)
class UploadCheck:
    """What the check learnt: the format, the sheets of a workbook (and the one read), the
    header."""

    format: str
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    header: list[str] = field(default_factory=list)


def upload_format(filename: str, declared: str | None = None) -> str:
    """The upper-case format of an upload from its declared format or file name; refuses what
    the portal does not take."""
    fmt = (declared or (filename.rsplit(".", 1)[-1] if "." in filename else "")).strip().upper().lstrip(".")
    if fmt in ("XLS", "XLSM"):
        raise UnusableInput(
            f"Format {fmt} (Excel lama/bermakro) tidak diterima. Buka di Excel, pilih Simpan Sebagai → "
            "Buku Kerja Excel (.xlsx) atau CSV UTF-8, lalu unggah ulang.", details={"file": ["Format tidak diterima."]})
    if fmt not in TABULAR_FORMATS + DOCUMENT_FORMATS:
        accepted = ", ".join(TABULAR_FORMATS + DOCUMENT_FORMATS)
        raise UnusableInput(
            f'Jenis berkas "{fmt or "tanpa akhiran"}" tidak diterima. Tabel: CSV, TSV, XLSX atau JSON; '
            f"dokumen: {accepted}.", details={"file": ["Format tidak diterima."]})
    return fmt


def check_upload(path: Path, fmt: str, *, sheet: str | None = None,
                 xlsx_max_uncompressed: int = convert.DEFAULT_XLSX_MAX_UNCOMPRESSED) -> UploadCheck:
    """Raise :class:`UnusableInput` (message in Bahasa Indonesia) unless ``path`` is readable as
    ``fmt``; tables must have a header row and at least one data row."""
    fmt = fmt.upper()
    if path.stat().st_size == 0:
        raise _refuse("Berkas kosong (0 byte). Periksa bahwa berkas yang benar yang dipilih, lalu unggah ulang.")
    if fmt in ("CSV", "TSV"):
        return _check_text(path, fmt)
    if fmt == "XLSX":
        return _check_xlsx(path, sheet, xlsx_max_uncompressed)
    if fmt == "JSON":
        return _check_json(path)
    return UploadCheck(format=fmt)


def _refuse(message: str) -> UnusableInput:
    return UnusableInput(message, details={"file": [message]})


def _check_text(path: Path, fmt: str) -> UploadCheck:
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
        complete = not fh.read(1)
    if head.startswith(b"PK\x03\x04"):
        raise _refuse("Berkas ini arsip ZIP/XLSX yang diberi akhiran .csv. Unggah dengan akhiran .xlsx, "
                      "atau simpan dari Excel sebagai CSV UTF-8.")
    if b"\x00" in head:
        raise _refuse("Berkas bukan teks CSV (berisi data biner; mungkin PDF atau Excel yang diganti namanya). "
                      "Dari Excel pilih Simpan Sebagai → CSV UTF-8, lalu unggah ulang.")
    text = _decode(head, complete)
    lines = [line for line in text.splitlines() if line.strip().strip(",;\t")]
    if not lines:
        raise _refuse("Berkas tidak berisi data: semua barisnya kosong.")
    if len(lines) == 1 and complete:
        raise _refuse("Berkas hanya berisi baris judul kolom, tanpa satu baris data pun. "
                      "Tambahkan datanya di bawah baris judul, lalu unggah ulang.")
    return UploadCheck(format=fmt, header=[lines[0]])


def _decode(head: bytes, complete: bool) -> str:
    """The head as text: UTF-8 (with or without BOM), else Windows-1252, as the engine reads it."""
    data = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    try:
        return data.decode("utf-8") if complete else codecs.getincrementaldecoder("utf-8")().decode(data)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _refuse("Enkode teks berkas tidak dikenali (bukan UTF-8 maupun Windows-1252). "
                      "Simpan ulang sebagai CSV UTF-8.") from exc


def _check_xlsx(path: Path, sheet: str | None, max_uncompressed: int) -> UploadCheck:
    try:
        convert.check_zip(path, max_uncompressed=max_uncompressed)
    except convert.ConversionError as exc:
        raise _refuse(str(exc)) from exc
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise _refuse(f"Berkas XLSX tidak dapat dibaca ({type(exc).__name__}). Buka di Excel, simpan ulang "
                          "sebagai .xlsx, lalu unggah ulang.") from exc
        try:
            names = list(workbook.sheetnames)
            if not names:
                raise _refuse("Berkas XLSX tidak berisi lembar kerja.")
            name = sheet or names[0]
            if name not in names:
                raise _refuse(f'Lembar "{sheet}" tidak ada di berkas ini. Lembar yang ada: {", ".join(names)}.')
            ws = workbook[name]
            member = getattr(ws, "_worksheet_path", None)
            if member:
                with zipfile.ZipFile(path) as archive:
                    merged = convert._merged_header(archive, member)
                if merged:
                    raise _refuse(
                        f"Baris judul kolom (baris 1) lembar \"{name}\" memakai sel gabungan ({', '.join(merged)}). "
                        "Setiap kolom harus punya judul sendiri di satu sel: pisahkan sel gabungan itu, lalu "
                        "unggah ulang.")
            ws.reset_dimensions()
            header: list[str] = []
            has_data = False
            for values in ws.iter_rows(values_only=True, max_row=200):
                cells = [convert.cell_text(v) for v in values]
                if not header:
                    header = [c for c in cells]
                    while header and header[-1] == "":
                        header.pop()
                    if not header:
                        raise _refuse(f'Baris 1 lembar "{name}" kosong; baris 1 harus berisi judul kolom.')
                    continue
                if any(cells):
                    has_data = True
                    break
            if not header:
                raise _refuse(f'Lembar "{name}" kosong. Pilih lembar yang berisi tabel.')
            if not has_data:
                raise _refuse(f'Lembar "{name}" hanya berisi baris judul kolom, tanpa data.')
        finally:
            workbook.close()
    return UploadCheck(format="XLSX", sheets=names, sheet=name, header=header)


def _check_json(path: Path) -> UploadCheck:
    """The first records must be objects (the validation job reads the rest, streamed)."""
    count = 0
    try:
        for index, record in enumerate(convert._iter_json_array(path), start=1):
            if not isinstance(record, dict):
                raise _refuse(f"Elemen ke-{index} JSON bukan objek. Bentuk yang diterima: array record "
                              '[{"kolom": nilai, ...}, {"kolom": nilai, ...}].')
            count += 1
            if count >= 1000:
                break
    except convert.ConversionError as exc:
        raise _refuse(str(exc)) from exc
    if count == 0:
        raise _refuse("JSON tidak berisi satu record pun (array kosong).")
    return UploadCheck(format="JSON")
