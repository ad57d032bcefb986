"""Descriptions become plain text for the index: plain sentences skip the Markdown parser and
must come out exactly as if they had gone through it."""

from __future__ import annotations

import html

import markdown
import nh3
import pytest

from satudata.search.documents import markdown_to_text

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out


def _through_parser(text: str) -> str:
    plain = html.unescape(nh3.clean(markdown.markdown(text), tags=set()))
    return "\n".join(line.strip() for line in plain.splitlines() if line.strip())


@pytest.mark.parametrize("text", [
    "Jumlah penduduk (jiwa) per kecamatan, 2020-2025. Sumber: SIAK.",
    "Baris pertama.\nBaris kedua, masih paragraf yang sama.\n\nParagraf baru: 14.07 Rokan Hilir.",
    "Persentase 12,5% dari total; rasio 1:3 (perkiraan).",
    "  spasi di depan\n\n\n  dan di belakang  ",
    "**tebal** dan _miring_ dan [tautan](https://riau.go.id)",
    "- satu\n- dua\n\n1. pertama\n2. kedua",
    "# Judul\n\nIsi <b>tebal</b> &amp; <script>alert(1)</script> selesai",
    "    kode yang diindentasi",
    "> kutipan",
])
def test_same_text_with_or_without_the_parser(text: str) -> None:
    assert markdown_to_text(text) == _through_parser(text)


def test_scripts_never_reach_the_index() -> None:
    assert "alert" not in markdown_to_text("Data <script>alert(1)</script> kesehatan")
