"""The Elasticsearch backend's mapping and request bodies, checked without a server (pure
functions), plus its behaviour when the server cannot be reached."""

from __future__ import annotations

import json

import pytest

from satudata.search import elasticsearch as es
from satudata.search.backend import SearchQuery, SearchUnavailable, normalise_query
from satudata.search.query import parse_query
from satudata.search.synonyms import DEFAULT_SYNONYMS, SynonymSet
from tests.search.conftest import corpus

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

SYNONYMS = SynonymSet.parse(DEFAULT_SYNONYMS)


def body_for(text: str = "", **kw):
    q = normalise_query(SearchQuery(text=text, **kw))
    return build(q)


def build(q):
    return es.build_search_body(q, parse_query(q.text, SYNONYMS))


def walk(node):
    """Every dict in a nested body."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


# --------------------------------------------------------------------------- mapping


def test_mapping_indexes_words_and_python_stems_not_lucene_stems():
    body = es.index_body()
    props = body["mappings"]["properties"]
    for name in ("title", "description", "keywords"):
        assert props[name] == {"type": "text", "analyzer": "sd_text", "search_analyzer": "sd_query"}
        assert props[f"{name}_stem"]["analyzer"] == "sd_stems"
    assert "indonesian" not in json.dumps(body)  # Lucene's stemmer disagrees with Sastrawi
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["sd_stems"] == {"type": "custom", "tokenizer": "whitespace"}
    assert analysis["analyzer"]["sd_text"]["filter"] == ["lowercase", "asciifolding", "sd_long"]
    assert props["title_sort"]["type"] == "keyword"
    assert body["mappings"]["_meta"]["satudata_mapping_version"] == es.MAPPING_VERSION


def test_mapping_facets_are_keywords_and_sorts_are_typed():
    body = es.index_body()
    props = body["mappings"]["properties"]
    for field in set(es.FACET_FIELDS.values()) | set(es.FILTER_FIELDS.values()):
        assert props[field]["type"] in ("keyword", "integer"), field
    assert props["year"]["type"] == "integer"
    assert props["published_at"]["type"] == "date" and props["download_count"]["type"] == "integer"
    assert body["mappings"]["dynamic"] == "strict"
    assert "max_result_window" not in body["settings"]["index"]  # deep pages use search_after


def test_bulk_loading_turns_refresh_off():
    settings = es.index_body(bulk_loading=True)["settings"]["index"]
    assert settings["refresh_interval"] == "-1" and settings["number_of_replicas"] == 0
    assert "refresh_interval" not in es.index_body()["settings"]["index"]


def test_every_document_field_is_mapped():
    props = es.index_body()["mappings"]["properties"]
    for doc in corpus():
        source = es.document_source(doc)
        assert set(source) <= set(props), set(source) - set(props)
        json.dumps(source)  # serialisable as it is
    source = es.document_source(corpus()[6])
    assert source["region"] == ["14", "14.07", "14.07.01"]
    assert "Kecamatan Kubu" in source["keywords"] and "Pendidikan" in source["keywords"]
    assert "laki laki" in es.document_source(corpus()[0])["keywords"]  # column names split into words


def test_bulk_actions_target_the_given_index():
    actions = list(es.bulk_actions(corpus()[:2], "satudata-datasets-20250101"))
    assert [a["_id"] for a in actions] == ["p01", "p02"]
    assert {a["_index"] for a in actions} == {"satudata-datasets-20250101"}
    assert actions[0]["_op_type"] == "index" and actions[0]["_source"]["title"].startswith("Jumlah")


# --------------------------------------------------------------------------- search bodies


def test_empty_query_matches_all_newest_first():
    body = body_for()
    assert body["query"] == {"match_all": {}}
    assert body["sort"][0] == {"published_at": {"order": "desc"}}
    assert body["from"] == 0 and body["size"] == 20 and body["track_total_hits"] is True
    assert "suggest" not in body


def queries_of(node, kind):
    """``(field, options)`` of every ``kind`` query (term, fuzzy, match_phrase) in ``node``."""
    return [(f, o) for m in walk(node) if kind in m and isinstance(m[kind], dict) for f, o in m[kind].items()]


def test_each_word_must_match_with_stems_exact_words_and_typos():
    body = body_for("kependudukan data")
    must = body["query"]["bool"]["must"]
    assert len(must) == 2
    long_word, short_word = must
    terms = dict(queries_of(long_word, "term"))
    assert terms["title"]["value"] == "kependudukan" and terms["description"]["value"] == "kependudukan"
    # The stem is Sastrawi's, computed in Python (Lucene's would be "nduduk").
    assert terms["title_stem"]["value"] == "duduk" and terms["keywords_stem"]["value"] == "duduk"
    fuzzy = queries_of(long_word, "fuzzy")
    assert {f for f, _o in fuzzy} == {"title", "keywords"}
    assert all(o["fuzziness"] == 1 and o["prefix_length"] == 0 for _f, o in fuzzy)  # first letters may be typos
    assert not queries_of(short_word, "fuzzy")
    phrases = body["query"]["bool"]["should"]
    assert {"match_phrase": {"title": {"query": "kependudukan data", "boost": 4.0}}} in phrases
    boosts = {f: o["boost"] for f, o in terms.items()}
    assert boosts["title"] > boosts["keywords"] > boosts["description"]
    assert boosts["title"] > boosts["title_stem"] > boosts["description_stem"]


def test_known_words_lose_typo_tolerance():
    q = normalise_query(SearchQuery(text="sawit kependudukan"))
    parsed = es.typos_only(parse_query(q.text, SYNONYMS), {"sawit"})
    body = es.build_search_body(q, parsed)
    sawit, kependudukan = body["query"]["bool"]["must"]
    assert not queries_of(sawit, "fuzzy")  # "sawit" is indexed: it must not find "sakit"
    assert queries_of(kependudukan, "fuzzy")
    known = es.known_words_body(["sawit", "sakti"])
    assert known["size"] == 0 and set(known["aggs"]) == {"w0", "w1"}
    assert es.known_words(["sawit", "sakti"], {"aggregations": {"w0": {"doc_count": 3}, "w1": {"doc_count": 0}}}) \
        == {"sawit"}


def test_synonyms_become_alternatives():
    body = body_for("faskes")
    clause = body["query"]["bool"]["must"][0]
    alternatives = clause["bool"]["should"]
    assert clause["bool"]["minimum_should_match"] == 1 and len(alternatives) == 3
    words = {o["value"] for f, o in queries_of(alternatives, "term") if f == "title"}
    assert {"faskes", "fasilitas", "kesehatan", "pelayanan"} <= words


def test_syntax_characters_never_reach_the_engine():
    body = body_for('title:"penduduk" AND (rokan* OR hilir) \\ {}')
    dumped = json.dumps(body)
    for bad in ("query_string", "simple_query_string", "title:", "rokan*", '\\"penduduk\\"', "(rokan"):
        assert bad not in dumped
    words = {o["value"] for f, o in queries_of(body, "term") if not f.endswith("_stem")}
    assert words <= {"title", "penduduk", "and", "rokan", "or", "hilir"}


def test_filters_are_term_filters_and_region_is_hierarchical():
    body = body_for("sawit", filters={"kode_wilayah": ["14.05"], "year": ["2023"], "tag": ["Sawit", "kebun"]})
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"region": "14.05"}} in filters
    assert {"term": {"year": 2023}} in filters
    assert {"term": {"tags": "sawit"}} in filters and {"term": {"tags": "kebun"}} in filters
    body = body_for(filters={"format": ["csv"]})
    assert body["query"] == {"bool": {"filter": [{"term": {"formats": "CSV"}}]}}


def test_aggregations_sort_and_paging():
    body = body_for("x", facets=("organization", "year", "kode_wilayah"), facet_limit=7, sort="name", page=3,
                    per_page=10)
    assert body["aggs"] == {"organization": {"terms": {"field": "organization", "size": 7}},
                            "year": {"terms": {"field": "year", "size": 7}},
                            "kode_wilayah": {"terms": {"field": "kode_wilayah", "size": 7}}}
    assert body["sort"] == [{"title_sort": {"order": "asc"}}, {"id": {"order": "asc"}}]
    assert body["from"] == 20 and body["size"] == 10
    assert body_for("x", sort="downloads")["sort"][0] == {"download_count": {"order": "desc"}}
    assert body_for("x")["sort"][0] == "_score"
    assert body_for("x", offset=7)["from"] == 7


def test_deep_page_asks_only_for_the_count_and_walks_with_search_after():
    body = body_for("x", page=10**6)
    assert body["size"] == 0 and body["from"] == 0
    body = body_for("x", offset=es.RESULT_WINDOW - 5, per_page=10)  # past the default window
    assert body["size"] == 0 and body["sort"][-1] == {"id": {"order": "asc"}}
    assert body_for("x", offset=es.RESULT_WINDOW - 10, per_page=10)["size"] == 10


def test_no_engine_highlighting_nor_suggest_on_every_query():
    body = body_for("sawit")
    assert "highlight" not in body and "suggest" not in body  # highlight.py; did-you-mean only at 0 hits


def test_suggest_body():
    body = es.build_suggest_body("jumlah pen", 5)
    must = body["query"]["function_score"]["query"]["bool"]["must"]
    assert must[0] == {"bool": {"should": [{"term": {"title": "jumlah"}}, {"term": {"title_stem": "jumlah"}}],
                                "minimum_should_match": 1}}
    assert must[1] == {"prefix": {"title": {"value": "pen"}}}
    assert body["size"] == 10
    finished = es.build_suggest_body("jumlah penduduk.", 5)["query"]["function_score"]["query"]["bool"]["must"]
    assert not [m for m in finished if "prefix" in m]
    assert es.build_suggest_body("", 5) is None and es.build_suggest_body('"*:(', 5) is None


# --------------------------------------------------------------------------- parsing answers


def test_parse_response():
    q = normalise_query(SearchQuery(text="penduduk", facets=("year", "organization")))
    parsed = parse_query(q.text, SYNONYMS)
    answer = {
        "hits": {"total": {"value": 2, "relation": "eq"}, "hits": [
            {"_id": "p01", "_score": 3.2, "_source": {"id": "p01", "slug": "a", "title": "Jumlah <Penduduk>",
                                                      "description": "x"},
             },
            {"_id": "p02", "_score": 1.0, "_source": {"id": "p02", "slug": "b", "title": "A & B",
                                                      "description": "<b>tebal</b> " + "kata " * 100}},
        ]},
        "aggregations": {"year": {"buckets": [{"key": 2023, "doc_count": 1}, {"key": 2024, "doc_count": 1}]},
                         "organization": {"buckets": [{"key": "z", "doc_count": 1}, {"key": "a", "doc_count": 3}]}},
    }
    r = es.parse_search_response(q, answer, parsed)
    assert r.total == 2 and [h.id for h in r.hits] == ["p01", "p02"] and r.hits[0].slug == "a"
    assert str(r.hits[0].highlights["title"]) == "Jumlah &lt;<mark>Penduduk</mark>&gt;"
    assert str(r.hits[1].highlights["title"]) == "A &amp; B"  # nothing to mark: escaped title
    description = str(r.hits[1].highlights["description"])
    assert description.startswith("&lt;b&gt;tebal&lt;/b&gt;") and description.endswith(" …")
    assert r.facets == {"year": [("2023", 1), ("2024", 1)], "organization": [("a", 3), ("z", 1)]}
    assert r.suggestion is None


def test_did_you_mean_replaces_unknown_words_only():
    parsed = parse_query("kepdatann kota 2024", SYNONYMS)
    words = es.did_you_mean_candidates(parsed)
    assert words == ["kepdatann", "kota"]  # no numbers, no short words
    body = es.did_you_mean_body(words)
    assert body["suggest"]["w0_title"]["term"]["prefix_length"] == 2
    answer = {"aggregations": {"w0": {"doc_count": 0}, "w1": {"doc_count": 4}},
              "suggest": {"w0_title": [{"text": "kepdatann", "options": [{"text": "kepadatan", "freq": 1},
                                                                          {"text": "kepdatan", "freq": 0}]}],
                          "w0_keywords": [{"text": "kepdatann", "options": []}],
                          "w1_title": [{"text": "kota", "options": [{"text": "kita", "freq": 9}]}],
                          "w1_keywords": []}}
    # "kepdatan" is one edit away but never indexed (freq 0 is still an option; it is closer)
    assert es.did_you_mean(parsed, words, answer) == "kepdatan kota 2024"
    answer["suggest"]["w0_title"][0]["options"] = [{"text": "kepadatan", "freq": 1}]
    assert es.did_you_mean(parsed, words, answer) == "kepadatan kota 2024"  # "kota" is known: kept
    answer["suggest"]["w0_title"][0]["options"] = []
    assert es.did_you_mean(parsed, words, answer) is None


def test_missing_updated_at_is_published_at_not_1970():
    doc = corpus()[0]
    doc.updated_at = None
    source = es.document_source(doc)
    assert source["updated_at"] == source["published_at"] == doc.published_at.isoformat()
    doc.published_at = None
    assert es.document_source(doc)["published_at"].startswith("1970")


# --------------------------------------------------------------------------- engine down


def test_unreachable_server_is_search_unavailable(tmp_path):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    backend = es.ElasticsearchBackend("http://127.0.0.1:9", index="satudata-nowhere", timeout=1, max_retries=0)
    with pytest.raises(SearchUnavailable) as caught:
        backend.search(SearchQuery(text="penduduk"))
    assert caught.value.status == 503 and "Pencarian sedang tidak tersedia" in caught.value.message
    with pytest.raises(SearchUnavailable):
        backend.index(corpus()[0])
    with pytest.raises(SearchUnavailable):
        backend.suggest("pen")
    health = backend.health()
    assert health["status"] == "error" and health["backend"] == "elasticsearch"
