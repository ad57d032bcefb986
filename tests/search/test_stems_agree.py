"""The two engines index and query the same stems: the Elasticsearch backend's documents and
queries carry the Sastrawi stems the embedded engine computes, word for word, on the
portal's own vocabulary (the demo catalogue and the test corpus)."""

from __future__ import annotations

import pytest

from satudata.search import elasticsearch as es
from satudata.search.documents import SearchDocument, markdown_to_text
from satudata.search.embedded import EmbeddedBackend
from satudata.search.query import parse_query
from satudata.search.text import stems
from tests.search.conftest import corpus

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

# Derived word and root as regional catalogues write them; Lucene's Indonesian stemmer splits
# several of these pairs (kependudukan → nduduk, perumahan → umah), Sastrawi joins them.
PAIRS = [("kependudukan", "penduduk"), ("perumahan", "rumah"), ("penerimaan", "terima"),
         ("pendidikan", "didik"), ("kesehatan", "sehat"), ("perkebunan", "kebun"), ("pertanian", "tani"),
         ("kepadatan", "padat"), ("keuangan", "uang"), ("pengangguran", "anggur"), ("pembangunan", "bangun"),
         ("perikanan", "ikan"), ("kemiskinan", "miskin"), ("pekerjaan", "kerja"), ("perdagangan", "dagang"),
         ("perhubungan", "hubung"), ("kelurahan", "lurah"), ("kecamatan", "camat"), ("pelayanan", "layan"),
         ("kesejahteraan", "sejahtera"), ("lingkungan", "lingkung")]


def portal_documents() -> list[SearchDocument]:
    from satudata.demo.catalogue import build_catalogue

    docs = corpus()
    for spec in build_catalogue():
        docs.append(SearchDocument(id=spec.slug, slug=spec.slug, title=spec.title,
                                   description=markdown_to_text(spec.description),
                                   tags=[str(t) for t in spec.tags or []]))
    return docs


def test_documents_carry_the_embedded_engines_stems(tmp_path):
    embedded = EmbeddedBackend(tmp_path / "search")
    docs = portal_documents()
    assert len(docs) > 60
    for doc in docs:
        source = es.document_source(doc)
        assert source["title_stem"] == " ".join(stems(embedded._tokens(doc.title))), doc.title
        assert source["description_stem"] == " ".join(stems(embedded._tokens(doc.description))), doc.slug
        assert source["keywords_stem"] == " ".join(stems(embedded._tokens(" ".join(doc.keywords())))), doc.slug
        assert source["title_sort"] == " ".join(embedded._tokens(doc.title))


@pytest.mark.parametrize(("word", "root"), PAIRS)
def test_a_derived_word_queries_the_stem_its_root_is_indexed_under(word, root):
    indexed = es.document_source(SearchDocument(id="x", slug="x", title=f"Data {root}"))["title_stem"].split()
    body = es.build_search_body(es.normalise_query(es.SearchQuery(text=word)), parse_query(word))
    asked = [m["term"]["title_stem"]["value"] for m in body["query"]["bool"]["must"][0]["bool"]["should"]
             if "title_stem" in m.get("term", {})]
    assert asked and asked[0] in indexed
