"""The contract every search backend keeps: the same cases run against each reachable one
(see ``conftest.BACKENDS``)."""

from __future__ import annotations

import pytest

from satudata.errors import Invalid
from satudata.search.backend import MAX_OFFSET, SearchQuery
from tests.search.conftest import corpus

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out


def ids(backend, text="", **kw):
    kw.setdefault("facets", ())
    kw.setdefault("per_page", 50)
    return [h.id for h in backend.search(SearchQuery(text=text, **kw)).hits]


# --------------------------------------------------------------------------- relevance


def test_morphology_kependudukan_finds_penduduk(indexed):
    found = ids(indexed, "kependudukan")
    assert "p01" in found  # "Jumlah Penduduk ..." (stem duduk)
    assert "p02" in found  # "Kepadatan Kependudukan ..." (the word itself)
    assert {"p01", "p02"} <= set(ids(indexed, "penduduk"))


def test_morphology_pendidikan_finds_didik(indexed):
    assert ids(indexed, "pendidikan")[0] == "p07"  # "Peserta Didik" and the tag


def test_title_match_ranks_above_description_match(indexed):
    found = ids(indexed, "imunisasi")
    assert found[0] == "p04"
    found = ids(indexed, "fasilitas kesehatan")
    assert found.index("p03") < found.index("p04")  # title vs. description only


def test_exact_phrase_ranks_first(indexed):
    found = ids(indexed, "rumah sakit")
    # p05's title is "Rumah Sakit"; p06 has both words apart.
    assert "p06" in found and found.index("p05") < found.index("p06")


def test_every_word_must_match(indexed):
    assert ids(indexed, "penduduk dumai") == ["p02"]
    assert ids(indexed, "penduduk sawit") == []


def test_typo_tolerance_for_long_words_only(indexed):
    assert "p01" in ids(indexed, "penduduuk")  # one letter too many
    assert "p11" in ids(indexed, "wisatwan")  # one letter missing
    assert "p09" in ids(indexed, "kelapa sawti")  # two letters swapped
    assert "p03" in ids(indexed, "kesehatam")  # one letter wrong
    assert ids(indexed, "sawi") == []  # four letters: no typo allowed (sawit is not sawi)


def test_synonyms_both_ways(indexed):
    assert "p03" in ids(indexed, "faskes")  # faskes = fasilitas kesehatan
    assert "p12" in ids(indexed, "fasilitas kesehatan")  # the other way round
    assert ids(indexed, "penduduk rohil") == ["p01"]  # rohil = rokan hilir
    assert "p08" in ids(indexed, "apbd")


def test_numbers_and_codes_are_not_fuzzy(indexed):
    assert set(ids(indexed, "perkebunan 2023")) == {"p09"}
    assert ids(indexed, "perkebunan 2022") == []  # 2022 is not one typo away from 2023


def test_keywords_find_organisation_tags_columns_and_region(indexed):
    assert "p01" in ids(indexed, "laki")  # column laki_laki
    assert "p09" in ids(indexed, "perkebunan rakyat")
    assert "p07" in ids(indexed, "kubu")  # coverage
    assert "p08" in ids(indexed, "aset daerah")  # organisation name


# --------------------------------------------------------------------------- facets and filters


def test_facets_count_the_whole_match(indexed):
    r = indexed.search(SearchQuery(facets=("organization", "topic", "tag", "format", "licence", "year",
                                           "frequency", "kode_wilayah"), per_page=1))
    assert r.total == 12 and len(r.hits) == 1
    assert dict(r.facets["topic"])["kesehatan"] == 4
    assert dict(r.facets["year"]) == {"2024": 6, "2023": 3, "2022": 2, "2021": 1}
    assert dict(r.facets["format"])["CSV"] == 9
    assert dict(r.facets["licence"]) == {"cc-by-4.0": 11, "odc-by": 1}
    assert dict(r.facets["frequency"]) == {"tahunan": 10, "triwulanan": 1, "bulanan": 1}
    assert dict(r.facets["kode_wilayah"])["14"] == 5
    counts = [n for _v, n in r.facets["tag"]]
    assert counts == sorted(counts, reverse=True)  # most frequent first
    r = indexed.search(SearchQuery(text="kesehatan", facets=("organization",)))
    assert dict(r.facets["organization"])["dinkes-riau"] == 2
    assert sum(n for _v, n in r.facets["organization"]) == r.total


def test_facet_limit(indexed):
    r = indexed.search(SearchQuery(facets=("tag",), facet_limit=2))
    assert len(r.facets["tag"]) == 2


def test_filters_are_and(indexed):
    kesehatan = set(ids(indexed, filters={"topic": ["kesehatan"]}))
    assert kesehatan == {"p03", "p04", "p05", "p12"}
    assert set(ids(indexed, filters={"topic": ["kesehatan"], "year": ["2024"]})) == {"p03", "p12"}
    assert set(ids(indexed, filters={"tag": ["kesehatan", "puskesmas"]})) == {"p03"}  # both tags
    assert set(ids(indexed, "rumah", filters={"organization": ["dinkes-riau"]})) == {"p05"}


def test_format_filter_ignores_case_and_region_filter_includes_children(indexed):
    assert set(ids(indexed, filters={"format": ["xlsx"]})) == {"p02", "p04"}
    assert set(ids(indexed, filters={"kode_wilayah": ["14.07"]})) == {"p01", "p07", "p12"}
    assert set(ids(indexed, filters={"region": ["14.07.01"]})) == {"p07"}
    assert len(ids(indexed, filters={"kode_wilayah": ["14"]})) == 12


def test_unknown_filter_facet_or_sort_is_invalid_in_bahasa(indexed):
    with pytest.raises(Invalid, match="Filter 'warna' tidak dikenal"):
        indexed.search(SearchQuery(filters={"warna": ["merah"]}))
    with pytest.raises(Invalid, match="Facet 'warna' tidak dikenal"):
        indexed.search(SearchQuery(facets=("warna",)))
    with pytest.raises(Invalid, match="Urutan 'acak' tidak dikenal"):
        indexed.search(SearchQuery(sort="acak"))
    with pytest.raises(Invalid, match="Tahun"):
        indexed.search(SearchQuery(filters={"year": ["dua ribu"]}))


# --------------------------------------------------------------------------- paging and sorting


def test_pages_partition_the_result(indexed):
    seen: list[str] = []
    for page in (1, 2, 3, 4, 5):
        r = indexed.search(SearchQuery(sort="name", page=page, per_page=5, facets=()))
        assert r.total == 12
        seen += [h.id for h in r.hits]
    assert sorted(seen) == sorted(d.id for d in corpus()) and len(seen) == 12


def test_page_beyond_the_end_is_empty_with_real_total(indexed):
    r = indexed.search(SearchQuery(page=9, per_page=5, facets=("year",)))
    assert r.hits == [] and r.total == 12 and dict(r.facets["year"])["2024"] == 6
    r = indexed.search(SearchQuery(page=10**9, per_page=20))
    assert r.hits == [] and r.total == 12
    r = indexed.search(SearchQuery(offset=MAX_OFFSET + 5, per_page=20))
    assert r.hits == [] and r.total == 12


def test_offset_overrides_page(indexed):
    all_ids = ids(indexed, sort="newest")
    assert ids(indexed, sort="newest", offset=3, per_page=2) == all_ids[3:5]


def test_bad_paging_is_invalid(indexed):
    for bad in (dict(page=0), dict(per_page=0), dict(offset=-1), dict(page=-3)):
        with pytest.raises(Invalid):
            indexed.search(SearchQuery(**bad))
    r = indexed.search(SearchQuery(per_page=10**6))
    assert r.per_page == 1000 and r.total == 12


@pytest.mark.parametrize("sort,key,reverse", [
    ("newest", lambda d: d.published_at, True),
    ("modified", lambda d: d.updated_at, True),
    ("downloads", lambda d: d.download_count, True),
])
def test_sorts(indexed, sort, key, reverse):
    expected = [d.id for d in sorted(corpus(), key=key, reverse=reverse)]
    assert ids(indexed, sort=sort) == expected


def test_sort_by_name_ignores_case_and_markup(indexed):
    found = ids(indexed, sort="name")
    titles = {d.id: d.title for d in corpus()}
    assert found[0] == "p04"  # "Cakupan ..."
    assert [titles[i] for i in found][:3] == ["Cakupan Imunisasi Dasar Lengkap", "Daftar Rumah Sakit Umum Daerah",
                                              'Data <script>alert(1)</script> & Statistik "Uji"']


def test_relevance_without_text_is_newest(indexed):
    assert ids(indexed) == ids(indexed, sort="newest")


def test_sort_applies_to_text_matches(indexed):
    assert ids(indexed, "kesehatan", sort="downloads")[:2] == ["p03", "p04"]


# --------------------------------------------------------------------------- highlight


def test_highlight_marks_words_and_stems(indexed):
    r = indexed.search(SearchQuery(text="kependudukan", facets=()))
    hit = next(h for h in r.hits if h.id == "p01")
    assert "<mark>Penduduk</mark>" in hit.highlights["title"]
    assert "<mark>penduduk</mark>" in hit.highlights["description"].lower()


def test_highlight_escapes_html(indexed):
    r = indexed.search(SearchQuery(text="statistik", facets=()))
    hit = next(h for h in r.hits if h.id == "p10")
    title = str(hit.highlights["title"])
    assert "<script>" not in title and "&lt;script&gt;" in title and "&amp;" in title
    assert "<mark>Statistik</mark>" in title
    description = str(hit.highlights["description"])
    assert "<b>" not in description and "&lt;b&gt;" in description
    r = indexed.search(SearchQuery(facets=(), filters={"tag": ["uji"]}))
    assert "<script>" not in str(r.hits[0].highlights["title"])  # no text: escaped, unmarked


def test_highlight_can_be_turned_off(indexed):
    r = indexed.search(SearchQuery(text="sawit", highlight=False))
    assert r.hits and r.hits[0].highlights == {}


# --------------------------------------------------------------------------- suggestions


def test_suggest_completes_titles(indexed):
    titles = [s.title for s in indexed.suggest("kepad")]
    assert titles == ["Kepadatan Kependudukan Kota Dumai"]
    found = {s.id: s for s in indexed.suggest("jumlah pe")}
    assert set(found) == {"p01", "p07"}
    assert found["p01"].slug == "penduduk-rohil"
    assert [s.id for s in indexed.suggest("jumlah penduduk ")] == ["p01"]  # a finished word
    assert indexed.suggest("") == [] and indexed.suggest("  ") == [] and indexed.suggest('"*:(') == []
    assert len(indexed.suggest("r", limit=2)) <= 2


def test_did_you_mean_when_nothing_matches(indexed):
    r = indexed.search(SearchQuery(text="kepaddatan", facets=()))
    assert r.total == 1 and r.suggestion is None  # one typo matches outright
    r = indexed.search(SearchQuery(text="kepdatann", facets=()))  # two typos do not
    assert r.total == 0 and r.suggestion == "kepadatan"


# --------------------------------------------------------------------------- writes


def test_delete_and_upsert(indexed):
    indexed.delete("p09")
    assert ids(indexed, "perkebunan") == []
    assert indexed.count() == 11
    indexed.delete("does-not-exist")  # no error
    doc = corpus()[0]
    doc.title = "Judul Baru Sekali"
    indexed.index(doc)
    indexed.index(doc)
    assert indexed.count() == 11
    assert ids(indexed, "judul baru") == ["p01"]
    hits = indexed.search(SearchQuery(text="penduduk")).hits
    assert [h.title for h in hits if h.id == "p01"] == ["Judul Baru Sekali"]  # one document, the new one


def test_bulk_index_replaces_by_id(indexed):
    docs = corpus()[:3]
    for d in docs:
        d.tags = ["diganti"]
    assert indexed.bulk_index(docs) == 3
    assert indexed.count() == 12
    assert set(ids(indexed, filters={"tag": ["diganti"]})) == {"p01", "p02", "p03"}


def test_rebuild_replaces_everything(indexed):
    assert indexed.rebuild(corpus()[5:7]) == 2
    assert indexed.count() == 2
    assert set(ids(indexed)) == {"p06", "p07"}
    assert indexed.rebuild([]) == 0 and indexed.count() == 0


def test_empty_index_answers(backend):
    r = backend.search(SearchQuery(text="apa saja", facets=("year",)))
    assert r.total == 0 and r.hits == [] and r.facets == {"year": []}
    assert backend.suggest("pen") == []
    assert backend.health()["status"] == "ok"


# --------------------------------------------------------------------------- bad input


# What a bad text finds: syntax characters are separators, so a text of only syntax is the empty
# query (every document), one with the word penduduk finds what "penduduk" finds (p01, p02), one with
# other words as well must match those too (``title``, ``and``, ``or`` are not in the corpus).
ALL, PENDUDUK, NOTHING = "all", "penduduk", "nothing"


@pytest.mark.parametrize(("text", "finds"), [
    ('"', ALL), ('"penduduk', PENDUDUK), ("*", ALL), ("penduduk*", PENDUDUK), ("title:penduduk", NOTHING),
    ("(", ALL), ("(penduduk", PENDUDUK), (")", ALL), (":", ALL), ("penduduk AND OR NOT", NOTHING),
    ("\\", ALL), ("\x00penduduk\x07", PENDUDUK), ("😀 penduduk", PENDUDUK), ("' OR 1=1 --", NOTHING),
    ("{\"query\": {}}", NOTHING), ("+-&&||!(){}[]^\"~*?:\\/", ALL), ("a" * 10_000, NOTHING),
    ("penduduk " * 2_000, PENDUDUK),
])
def test_bad_text_never_raises(indexed, text, finds):
    r = indexed.search(SearchQuery(text=text, facets=("year",), per_page=50))
    expected = {ALL: {d.id for d in corpus()}, PENDUDUK: {"p01", "p02"}, NOTHING: set()}[finds]
    assert r.total == len(expected) and {h.id for h in r.hits} == expected
    indexed.suggest(text)


def test_syntax_characters_are_just_separators(indexed):
    assert set(ids(indexed, '"penduduk" (rokan) hilir*')) == {"p01"}
    assert set(ids(indexed, "title:sawit")) == set()  # "title" is a word here, not a field


def test_long_query_is_cut_not_refused(indexed):
    assert indexed.search(SearchQuery(text="perkebunan " + "x" * 10_000)).total == 0
    assert ids(indexed, "perkebunan" + " " * 10_000 + "zzz") == ["p09"]  # the tail after 500 chars is gone
