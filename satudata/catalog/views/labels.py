"""How values read on the public pages: sort orders, facet headings, the Satu Data
enumerations and topics in the reader's language, column names, and plain-text excerpts of
Markdown. The templates reach several of these as globals (``public._template_helpers``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from satudata.catalog.models import Topic
from satudata.templating import render_markdown


def sort_labels() -> dict[str, str]:
    """The sort orders of dataset lists, with their labels in the current language."""
    return {
        "relevance": _("Paling relevan"),
        "newest": _("Terbaru"),
        "modified": _("Baru diperbarui"),
        "name": _("Judul (A–Z)"),
        "downloads": _("Paling banyak diunduh"),
    }


def facet_titles() -> dict[str, str]:
    """Headings of the facets (and names of the active filters)."""
    return {
        "topic": _("Topik"),
        "wilayah": _("Wilayah"),
        "organization": _("Organisasi"),
        "tag": _("Kata kunci"),
        "format": _("Format"),
        "year": _("Tahun data"),
        "licence": _("Lisensi"),
    }


def enum_labels() -> dict[str, dict[str, str]]:
    """Readable labels for the values of the Satu Data enumerations."""
    return {
        "frequency": {
            "tahunan": _("Tahunan"), "semesteran": _("Semesteran"), "triwulanan": _("Triwulanan"),
            "bulanan": _("Bulanan"), "mingguan": _("Mingguan"), "harian": _("Harian"),
            "tidak_tentu": _("Tidak tentu"),
        },
        "presentation_level": {
            "nasional": _("Nasional"), "provinsi": _("Provinsi"), "kabupaten_kota": _("Kabupaten/kota"),
            "kecamatan": _("Kecamatan"), "desa": _("Desa/kelurahan"),
        },
        "data_kind": {
            "statistik_sektoral": _("Statistik sektoral"), "geospasial": _("Geospasial"), "keuangan": _("Keuangan"),
        },
        "data_status": {"sementara": _("Sementara"), "tetap": _("Tetap")},
        "collection_method": {
            "administrasi": _("Data administrasi"), "survei": _("Survei"), "sensus": _("Sensus"),
            "kompilasi": _("Kompilasi"), "lainnya": _("Lainnya"),
        },
        "access_class": {"publik": _("Publik"), "terbatas": _("Terbatas"), "dikecualikan": _("Dikecualikan")},
        "organization_kind": {
            "provinsi": _("Pemerintah provinsi"), "kabupaten": _("Pemerintah kabupaten"),
            "kota": _("Pemerintah kota"), "opd": _("Perangkat daerah"), "kecamatan": _("Kecamatan"),
        },
    }


def enum_label(kind: str, value: Any) -> str:
    """The label of one enumeration value; the raw value when unknown, '–' when empty."""
    if value is None or value == "":
        return "–"
    key = str(value)
    return enum_labels().get(kind, {}).get(key, key)


def topic_name(topic: Topic) -> str:
    """A topic's name in the current language."""
    if str(get_locale() or "") == "en" and topic.name_en:
        return topic.name_en
    return topic.name


def humanize(column: str) -> str:
    """A column name as a readable label: ``laki_laki`` becomes ``Laki laki``."""
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else column


def plain_excerpt(markdown_text: str | None, limit: int = 200) -> str:
    """The first ``limit`` characters of a Markdown text as plain text (rendered, sanitised,
    then stripped of tags, so no markup or script survives)."""
    text = render_markdown(markdown_text).striptags()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(" .,;:") + "…"
