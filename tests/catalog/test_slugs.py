"""Dataset addresses from titles (issue #14: "...-januari-202" was cut mid-word)."""

from __future__ import annotations

import pytest


@pytest.mark.nodb
def test_a_long_title_gives_an_address_cut_after_a_whole_word() -> None:
    from satudata.catalog.services.catalogue import SLUG_MAX, slug_from

    title = "Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin di Kabupaten Rokan Hilir Keadaan Akhir Bulan Januari 2025"
    slug = slug_from(title)
    assert len(slug) <= SLUG_MAX and slug.endswith("-keadaan-akhir") and not slug.endswith("-")
    assert slug_from("x" * 150) == "x" * SLUG_MAX
    assert slug_from("Data " + "y" * 120) == "data"
    assert slug_from("Penduduk 2025") == "penduduk-2025" and slug_from("%%") == "dataset"
