"""The Elasticsearch backend's mapping and request bodies, checked without a server (pure
functions), plus its behaviour when the server cannot be reached."""

from __future__ import annotations

import json

import pytest

from satudata.search import elasticsearch as es
from satudata.search.backend import MAX_OFFSET, SearchQuery, SearchUnavailable, normalise_query
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


def test_mapping_uses_indonesian_analyzer_with_exact_subfields():
    props = es.index_body()["mappings"]["properties"]
    for name in ("title", "description", "keywords"):
        assert props[name]["type"] == "text" and props[name]["analyzer"] == "indonesian"
        assert props[name]["fields"]["exact"] == {"type": "text", "analyzer": "sd_exact"}
    assert props["title"]["fields"]["suggest"]["type"] == "search_as_you_type"
    assert props["title"]["fields"]["sort"]["type"] == "keyword"
    assert props["title"]["fields"]["sort"]["normalizer"] == "sd_sort"


def test_mapping_facets_are_keywords_and_sorts_are_typed():
    body = es.index_body()
    props = body["mappings"]["properties"]
    for field in set(es.FACET_FIELDS.values()) | set(es.FILTER_FIELDS.values()):
        assert props[field]["type"] in ("keyword", "integer"), field
    assert props["year"]["type"] == "integer"
    assert props["published_at"]["type"] == "date" and props["download_count"]["type"] == "integer"
    assert body["mappings"]["dynamic"] == "strict"
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["sd_exact"]["filter"] == ["lowercase", "asciifolding"]
    assert body["settings"]["index"]["max_result_window"] >= MAX_OFFSET


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


def test_each_word_must_match_with_stems_exact_words_and_typos():
    body = body_for("kependudukan data")
    must = body["query"]["bool"]["must"]
    assert len(must) == 2
    long_word, short_word = must
    fields = {next(iter(m["match"])) for m in walk(long_word) if "match" in m}
    assert {"title", "title.exact", "description", "description.exact", "keywords", "keywords.exact"} <= fields
    fuzzy = [m["match"] for m in walk(long_word) if "match" in m and "fuzziness" in next(iter(m["match"].values()))]
    assert fuzzy and all(next(iter(f.values()))["fuzziness"] == 1 for f in fuzzy)
    assert not [m for m in walk(short_word) if "match" in m and "fuzziness" in next(iter(m["match"].values()))]
    phrases = body["query"]["bool"]["should"]
    assert {"match_phrase": {"title.exact": {"query": "kependudukan data", "boost": 4.0}}} in phrases
    boosts = {next(iter(m["match"])): next(iter(m["match"].values()))["boost"] for m in walk(long_word)
              if "match" in m and "fuzziness" not in next(iter(m["match"].values()))}
    assert boosts["title.exact"] > boosts["keywords.exact"] > boosts["description.exact"]
    assert boosts["title"] > boosts["description"]


def test_synonyms_become_alternatives():
    body = body_for("faskes")
    clause = body["query"]["bool"]["must"][0]
    alternatives = clause["bool"]["should"]
    assert clause["bool"]["minimum_should_match"] == 1 and len(alternatives) == 3
    queries = {m["match"]["title.exact"]["query"] for m in walk(alternatives) if "title.exact" in m.get("match", {})}
    assert {"faskes", "fasilitas", "kesehatan", "pelayanan"} <= queries


def test_syntax_characters_never_reach_the_engine():
    body = body_for('title:"penduduk" AND (rokan* OR hilir) \\ {}')
    dumped = json.dumps(body)
    for bad in ("query_string", "simple_query_string", "title:", "rokan*", '\\"penduduk\\"', "(rokan"):
        assert bad not in dumped
    queries = {m["match"][f]["query"] for m in walk(body) if "match" in m for f in m["match"]}
    assert queries <= {"title", "penduduk", "and", "rokan", "or", "hilir"}


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
    assert body["sort"] == [{"title.sort": {"order": "asc"}}]
    assert body["from"] == 20 and body["size"] == 10
    assert body_for("x", sort="downloads")["sort"][0] == {"download_count": {"order": "desc"}}
    assert body_for("x")["sort"][0] == "_score"
    assert body_for("x", offset=7)["from"] == 7


def test_deep_page_asks_only_for_the_count():
    body = body_for("x", page=10**6)
    assert body["size"] == 0 and body["from"] == 0 and "highlight" not in body


def test_highlight_is_escaped_html_with_mark():
    hl = body_for("sawit")["highlight"]
    assert hl["encoder"] == "html" and hl["pre_tags"] == ["<mark>"] and hl["post_tags"] == ["</mark>"]
    assert set(hl["fields"]) == {"title", "title.exact", "description", "description.exact"}
    assert "highlight" not in body_for("sawit", highlight=False)


def test_suggest_body():
    body = es.build_suggest_body("jumlah pen", 5)
    match = body["query"]["function_score"]["query"]["multi_match"]
    assert match["type"] == "bool_prefix" and match["query"] == "jumlah pen"
    assert match["fields"][0] == "title.suggest"
    assert body["size"] == 10
    assert es.build_suggest_body("", 5) is None and es.build_suggest_body('"*:(', 5) is None


# --------------------------------------------------------------------------- parsing answers


def test_parse_response():
    q = normalise_query(SearchQuery(text="penduduk", facets=("year", "organization")))
    answer = {
        "hits": {"total": {"value": 2, "relation": "eq"}, "hits": [
            {"_id": "p01", "_score": 3.2, "_source": {"id": "p01", "slug": "a", "title": "Jumlah <Penduduk>",
                                                      "description": "x"},
             "highlight": {"title.exact": ["Jumlah &lt;<mark>Penduduk</mark>&gt;"]}},
            {"_id": "p02", "_score": 1.0, "_source": {"id": "p02", "slug": "b", "title": "A & B",
                                                      "description": "<b>tebal</b> " + "kata " * 100}},
        ]},
        "aggregations": {"year": {"buckets": [{"key": 2023, "doc_count": 1}, {"key": 2024, "doc_count": 1}]},
                         "organization": {"buckets": [{"key": "z", "doc_count": 1}, {"key": "a", "doc_count": 3}]}},
    }
    r = es.parse_search_response(q, answer)
    assert r.total == 2 and [h.id for h in r.hits] == ["p01", "p02"] and r.hits[0].slug == "a"
    assert str(r.hits[0].highlights["title"]) == "Jumlah &lt;<mark>Penduduk</mark>&gt;"
    assert str(r.hits[1].highlights["title"]) == "A &amp; B"  # no highlight: escaped title
    description = str(r.hits[1].highlights["description"])
    assert description.startswith("&lt;b&gt;tebal&lt;/b&gt;") and description.endswith(" …")
    assert r.facets == {"year": [("2023", 1), ("2024", 1)], "organization": [("a", 3), ("z", 1)]}
    assert r.suggestion is None


def test_parse_response_did_you_mean():
    q = normalise_query(SearchQuery(text="kepdatann kota"))
    answer = {"hits": {"total": {"value": 0}, "hits": []},
              "suggest": {"did_you_mean": [{"text": "kepdatann", "options": [{"text": "kepadatan"}]},
                                           {"text": "kota", "options": []}]}}
    assert es.parse_search_response(q, answer).suggestion == "kepadatan kota"


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
