"""The validation report in the language of the page (#14): the explanations are Bahasa
Indonesia templates, translated when shown; English in the English UI, Bahasa Indonesia
everywhere else (the default page, the ``satudata validate`` command, no page at all)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import flask_babel
import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from satudata.tabular.patterns import MONTH_NAME_DATE_PATTERN
from satudata.validation import messages, report
from satudata.validation.engine import validate_table
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.tables import write_csv
from tests.workspace.conftest import produsen, vocab  # noqa: F401  (fixtures)

TRANSLATIONS = Path(messages.__file__).parents[1] / "translations"

SCHEMA = {"fields": [
    {"name": "kecamatan", "type": "string"},
    {"name": "umur", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "penduduk", "type": "number", "groupChar": ".", "decimalChar": ","},
    {"name": "tanggal", "type": "string", "constraints": {"pattern": MONTH_NAME_DATE_PATTERN}},
]}
ROWS = [["kecamatan", "umur", "penduduk", "tanggal"],
        ["Kubu", "-1", "1.200", "17 Agustus 2025"],
        ["Bangko", "30", "12 jiwa", "17 Agustus 2025"],
        ["Tanah Putih", "40", "800", "17 Agustos 2025"],
        ["Rimba Melintang", "10", "1.000", "1 Maret 2025"],
        ["JUMLAH", "79", "3.000", ""]]
NUMBERS = {"penduduk": (".", ",")}  # catalog.written_numbers of SCHEMA

ENGLISH = {  # (type, column) -> what the clerk reads
    ("constraint-error", "umur"): {
        "judul": "Column rule broken",
        "masalah": "The value is below the lower limit of 0.",
        "perbaikan": "Use a value of 0 or more."},
    ("type-error", "penduduk"): {
        "judul": "Wrong data type",
        "masalah": 'The cell "12 jiwa" cannot be read as a number with a comma as the decimal separator and '
                   "a dot as the thousands separator, for example 1.250,5.",
        "perbaikan": "Write the value as a number with a comma as the decimal separator and a dot as the "
                     "thousands separator, for example 1.250,5. Remove units, spaces and notes from the cell."},
    ("constraint-error", "tanggal"): {
        "judul": "Column rule broken",
        "masalah": "The date is not written as a date with a recognised month name.",
        "perbaikan": "Write it like 17 Agustus 2025: the day 1–31, the full Indonesian month name (Januari … "
                     "Desember) and a four-digit year. Check the month name for typos."},
    ("total-row", None): {
        "judul": "Total row",
        "masalah": 'The row "JUMLAH" holds the total of the rows above it (columns penduduk), not data. Charts, '
                   "the API and anyone who adds up the columns would count it twice.",
        "perbaikan": "Delete the total row; the portal works out totals itself."},
}
INDONESIAN = {
    ("constraint-error", "umur"): "Nilai lebih kecil dari batas bawah 0.",
    ("type-error", "penduduk"): 'Isi sel "12 jiwa" tidak dapat dibaca sebagai angka dengan koma sebagai pemisah '
                                "desimal dan titik sebagai pemisah ribuan, misalnya 1.250,5.",
    ("constraint-error", "tanggal"): "Tanggal tidak tertulis sebagai tanggal dengan nama bulan yang dikenali.",
    ("total-row", None): 'Baris "JUMLAH" berisi jumlah dari baris-baris di atasnya (kolom penduduk), bukan data. '
                         "Grafik, API dan siapa pun yang menjumlahkan kolom akan menghitungnya dua kali.",
}


@pytest.fixture(scope="module", autouse=True)
def _english_catalogue() -> None:
    """The English catalogue compiled, as ``make translations`` leaves it."""
    from tests.catalog.test_views import compile_translations

    compile_translations()


def _report(tmp_path: Path) -> dict[str, Any]:
    return validate_table(write_csv(tmp_path / "penduduk.csv", ROWS, delimiter=";"), SCHEMA)


def _explained(validation: dict[str, Any], **options: Any) -> dict[tuple[str, str | None], dict[str, str]]:
    return {(e["type"], e.get("fieldName")): messages.explain(e, NUMBERS.get(str(e.get("fieldName"))), **options)
            for e in validation["tasks"][0]["errors"]}


@pytest.mark.nodb
def test_without_a_page_the_report_stays_in_bahasa_indonesia(tmp_path: Path) -> None:
    validation = _report(tmp_path)
    assert report.page_translation() is messages.untranslated
    explained = _explained(validation)
    assert set(explained) == set(INDONESIAN)
    assert {key: text["masalah"] for key, text in explained.items()} == INDONESIAN
    shown = report.present(validation, numbers=NUMBERS)
    assert shown is not None
    assert {(g.type, g.field): g.masalah for g in shown.groups} == INDONESIAN
    assert {t["judul"] for t in shown.by_type} == {"Aturan kolom dilanggar", "Jenis data tidak sesuai", "Baris jumlah"}


@pytest.mark.nodb
def test_the_english_placeholders_are_those_of_the_bahasa_indonesia_templates() -> None:
    """A placeholder lost or renamed in a translation would break the English page."""
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    placeholder = re.compile(r"%\(\w+\)s")
    ours = [m for m in catalogue if m.id and any(path.endswith("validation/messages.py") for path, _ in m.locations)]
    assert len(ours) > 100
    for message in ours:
        assert message.string and not message.fuzzy, message.id
        assert sorted(placeholder.findall(message.id)) == sorted(placeholder.findall(message.string)), message.id


def test_explain_in_english_with_flask_babel(app: Any, tmp_path: Path) -> None:
    validation = _report(tmp_path)
    with app.test_request_context("/"), flask_babel.force_locale("en"):
        explained = _explained(validation, translate=flask_babel.gettext)
        summary = messages.summarise(validation, flask_babel.gettext)
        generic = messages.explain({"type": "something-new"}, translate=flask_babel.gettext)
    assert explained == ENGLISH
    assert {t["judul"] for t in summary["by_type"]} == {"Column rule broken", "Wrong data type", "Total row"}
    assert generic["judul"] == "Other error" and generic["masalah"] == "The table does not meet the data standard."


def test_present_follows_the_language_of_the_request(app: Any, tmp_path: Path) -> None:
    validation = _report(tmp_path)
    assert report.page_translation() is messages.untranslated  # an app context, but no request
    # A fresh app context per request, as in production: Flask-Babel keeps the locale in ``g``.
    with app.app_context(), app.test_request_context("/?lang=en"):
        shown = report.present(validation, numbers=NUMBERS)
        assert shown is not None
        assert {(g.type, g.field): {"judul": g.judul, "masalah": g.masalah, "perbaikan": g.perbaikan}
                for g in shown.groups} == ENGLISH
        assert shown.listed[0]["masalah"] == ENGLISH[("constraint-error", "umur")]["masalah"]
    with app.app_context(), app.test_request_context("/"):
        shown = report.present(validation, numbers=NUMBERS)
        assert shown is not None and {(g.type, g.field): g.masalah for g in shown.groups} == INDONESIAN


def test_the_workspace_report_page_in_english(app: Any, produsen: Any, tmp_path: Path) -> None:  # noqa: F811
    from satudata.catalog.models import Resource, ValidationStatus
    from satudata.extensions import db
    from tests.workspace.test_flow import _create, _upload

    ds = _create(produsen)
    body = "\n".join(";".join(row) for row in ROWS) + "\n"
    assert _upload(produsen, ds, body, filename="penduduk.csv").status_code == 200
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    res.table_schema = SCHEMA  # what the validation job leaves after checking the file against SCHEMA
    res.validation_report = _report(tmp_path)
    res.validation_status = ValidationStatus.INVALID
    db.session.commit()
    url = f"/kelola/dataset/{ds.slug}/sumber/{res.id}"
    english = produsen.get(f"{url}?lang=en").get_data(as_text=True)
    for text in ("Column rule broken", "Total row", "The value is below the lower limit of 0.",
                 "a comma as the decimal separator and a dot as the thousands separator, for example 1.250,5",
                 "The date is not written as a date with a recognised month name."):
        assert text in english, text
    assert "Nilai lebih kecil dari batas bawah" not in english
    indonesian = produsen.get(f"{url}?lang=id").get_data(as_text=True)
    assert "Nilai lebih kecil dari batas bawah 0." in indonesian and "Baris jumlah" in indonesian
    assert "The value is below the lower limit" not in indonesian
