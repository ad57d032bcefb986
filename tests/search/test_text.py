"""Indonesian analysis, the synonym list, query parsing and the highlighter (pure functions)."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from satudata.search.highlight import Marker, highlight_title, snippet
from satudata.search.query import MAX_QUERY_CHARS, MAX_QUERY_TERMS, clean_text, parse_query
from satudata.search.synonyms import DEFAULT_SYNONYMS, SynonymSet, SynonymStore, SynonymSyntaxError
from satudata.search.text import edit_distance_at_most_one, fold, levenshtein, stem, stems, tokenize

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out


def test_stems_join_word_families():
    assert stem("kependudukan") == stem("penduduk") == "duduk"
    assert stem("pendidikan") == "didik" and stem("kesehatan") == "sehat" and stem("perekonomian") == "ekonomi"
    assert stem("2024") == "2024" and stem("sd") == "sd" and stem("rohil") == "rohil"
    assert stem.cache_info().hits >= 0  # cached per process


def test_tokens_fold_and_split_identifiers():
    assert tokenize("Jumlah Penduduk (Kab. Rokan Hilir) 14.07 laki_laki Café") == [
        "jumlah", "penduduk", "kab", "rokan", "hilir", "14", "07", "laki", "laki", "cafe"]
    assert fold("ÉCOLE") == "ecole"
    assert stems(["data", "penduduk", "di", "yang", "kecamatan"]) == ["data", "duduk", "camat"]


def test_edit_distance():
    assert edit_distance_at_most_one("penduduk", "penduduuk")
    assert edit_distance_at_most_one("sawit", "sawti")  # swap of neighbours
    assert edit_distance_at_most_one("sawit", "sakit")
    assert not edit_distance_at_most_one("sawit", "siwat")
    assert levenshtein("kepdatann", "kepadatan") == 2 and levenshtein("abc", "xyzuvw", 3) == 3


def test_synonym_file_format():
    parsed = SynonymSet.parse("# komentar\nfaskes, fasilitas kesehatan  # inline\n\nrs, rumah sakit\n")
    assert parsed.groups == ((("faskes",), ("fasilitas", "kesehatan")), (("rs",), ("rumah", "sakit")))
    assert parsed.match(["cari", "faskes"], 1) == (1, [("fasilitas", "kesehatan")])
    assert parsed.match(["fasilitas", "kesehatan", "x"], 0) == (2, [("faskes",)])
    assert parsed.match(["fasilitas", "x"], 0) is None
    for bad, line in [("satu saja", 1), ("a, b\nx => y", 2), ("ok, oke\n,,,", 2)]:
        with pytest.raises(SynonymSyntaxError) as caught:
            SynonymSet.parse(bad)
        assert caught.value.line == line
    assert len(SynonymSet.parse(DEFAULT_SYNONYMS).groups) > 20


def test_synonym_store_reloads_and_survives_a_broken_file(tmp_path):
    path = tmp_path / "synonyms.txt"
    store = SynonymStore(path, check_every=0)
    assert store.current().match(["faskes"], 0)  # defaults while no file exists
    store.save("tbs, tandan buah segar")
    assert store.current().match(["tbs"], 0) and not store.current().match(["faskes"], 0)
    path.write_text("rusak tanpa koma\n")
    assert store.current().match(["tbs"], 0)  # the last good list stays
    with pytest.raises(SynonymSyntaxError):
        store.save("rusak")


def test_parse_query_clauses():
    synonyms = SynonymSet.parse(DEFAULT_SYNONYMS)
    parsed = parse_query("data faskes di rohil", synonyms)
    assert parsed.tokens == ("data", "faskes", "di", "rohil")
    assert len(parsed.clauses) == 3  # "di" is a stop word
    faskes = parsed.clauses[1].alternatives
    assert faskes[0][0].text == "faskes" and [t.text for t in faskes[1]] == ["fasilitas", "kesehatan"]
    assert parsed.clauses[0].alternatives[0][0].fuzzy is False  # 4 letters
    assert parse_query("penduduk").clauses[0].alternatives[0][0].fuzzy is True
    assert parse_query("2024").clauses[0].alternatives[0][0].fuzzy is False
    assert parse_query("di yang").clauses  # only stop words: still searched
    assert parse_query('"*:()').is_empty
    assert len(parse_query("kata " * 1000).tokens) == MAX_QUERY_TERMS
    assert len(clean_text("x" * 20_000)) == MAX_QUERY_CHARS
    assert clean_text("\x00a\x1fb\n") == "a b"


def test_highlighter_marks_stems_and_escapes():
    marker = Marker(parse_query("kependudukan <b>"))
    assert highlight_title("Penduduk & <b>Warga</b>", marker) == Markup(
        "<mark>Penduduk</mark> &amp; &lt;<mark>b</mark>&gt;Warga&lt;/<mark>b</mark>&gt;")
    long = "Awal kalimat. " + "isi lain " * 60 + "Jumlah penduduk menurut kecamatan. " + "penutup " * 60
    cut = snippet(long, marker, size=120)
    assert "<mark>penduduk</mark>" in cut and cut.startswith("… ") and cut.endswith(" …")
    assert len(Markup(cut).striptags()) < 140
    assert snippet("Pendek saja.", Marker(parse_query(""))) == Markup("Pendek saja.")
    assert snippet("", marker) == Markup("")


def test_one_did_you_mean_rule_for_both_engines():
    from satudata.search.text import closest_word, corrected

    candidates = [("penduduk", 40), ("pendidik", 40), ("pendudukan", 90), ("rumah", 5)]
    assert closest_word("pendudk", candidates) == "penduduk"  # one edit beats the more frequent two
    assert closest_word("kepadata", [("kepadatam", 3), ("kepadatab", 3)]) == "kepadatab"  # ties: alphabetical
    assert closest_word("sekolah", [("rumah", 9)]) is None and closest_word("x", []) is None
    fixes = {"pendudk": "penduduk"}
    assert corrected(["jumlah", "pendudk"], fixes.get) == "jumlah penduduk"
    assert corrected(["jumlah", "penduduk"], fixes.get) is None
