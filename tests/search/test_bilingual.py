"""English queries find Indonesian data: the built-in bilingual list (search.synonyms
BILINGUAL_SYNONYMS) is in force next to the editable one, and a walidata's edit cannot drop it."""

from __future__ import annotations

from satudata.search import services
from satudata.search.synonyms import BILINGUAL_SYNONYMS, SynonymSet
from tests.factories import SYSTEM, make_dataset


def test_english_words_find_indonesian_datasets(app, db, app_backend):
    penduduk = make_dataset(title="Jumlah Penduduk menurut Kecamatan")
    miskin = make_dataset(title="Persentase Penduduk Miskin Kabupaten Rokan Hilir")
    sekolah = make_dataset(title="Jumlah Sekolah Dasar dan Guru")
    sawit = make_dataset(title="Produksi Kelapa Sawit Perkebunan Rakyat")
    services.reindex_all()
    found = {q: {d.id for d in services.search_datasets(q).items}
             for q in ("population", "poverty", "schools teachers", "palm oil", "health")}
    assert found["population"] == {penduduk.id, miskin.id}
    assert found["poverty"] == {miskin.id}
    assert found["schools teachers"] == {sekolah.id}
    assert found["palm oil"] == {sawit.id}
    assert found["health"] == set()  # nothing about health here: the list adds no noise
    try:
        # The walidata's own list replaces the editable defaults, not the English one.
        services.update_synonyms(SYSTEM, "tbs, tandan buah segar\n")
        db.session.commit()
        assert {d.id for d in services.search_datasets("population").items} == {penduduk.id, miskin.id}
    finally:
        (app_backend.root / "synonyms.txt").unlink(missing_ok=True)


def test_the_bilingual_list_parses_and_pairs_english_with_indonesian():
    groups = SynonymSet.parse(BILINGUAL_SYNONYMS).groups
    assert len(groups) >= 80
    words = {" ".join(p) for g in groups for p in g}
    assert {"population", "penduduk", "poverty", "kemiskinan", "health", "kesehatan"} <= words
