"""Finding (High): unauthenticated DoS through ``fq_list``.

An outside test POSTed ``/api/3/action/package_search`` 20,000 ``-name:a`` clauses in ``fq_list``
(220 KB): the request ran 116 s, grew a gunicorn worker to 3.8 GB and ended in a 500; 990
clauses gave SQLite's "Expression tree is too large", also a 500. Every query input of the
public read paths now has a bound (``SEARCH_MAX_*`` in ``satudata/config.py``, checked in
``satudata/search_limits.py`` before any parsing): the CKAN API answers CKAN's 409 Validation
Error, REST ``/api/v1`` 422 and the ``/dataset`` page a 400 page, each naming the parameter, the
limit and what to do. Within the bounds, the database fallback answers 200.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import ckanapi
import pytest
from flask import Flask
from flask.testing import FlaskClient

from satudata.search.backend import EXTENSION_KEY
from tests.catalog.test_views import assert_error_page
from tests.conftest import serve_live
from tests.factories import make_dataset, make_org

# The default bounds (satudata/config.py Defaults).
CLAUSES = 50
FILTER_CHARS = 4000
CLAUSE_VALUES = 20
QUERY_CHARS = 1000
QUERY_WORDS = 50
FACET_FIELDS = 10
FACET_LIMIT = 200
MAX_ROWS = 1000
MAX_START = 100_000
SORT_CHARS = 200
SORT_KEYS = 5
SUGGEST_CHARS = 200

ATTACK = ["-name:a"] * 20_000
SEARCH = "/api/3/action/package_search"


@pytest.fixture()
def datasets(app: Flask) -> list[str]:
    dumai = make_org(slug="disdukcapil-dumai", name="Disdukcapil Kota Dumai", kode_wilayah="14.72")
    rohil = make_org(slug="dinkes-rohil", name="Dinas Kesehatan Kabupaten Rokan Hilir", kode_wilayah="14.07")
    return [
        make_dataset(dumai, title="Jumlah Penduduk Kota Dumai", slug="penduduk-dumai", tags=["penduduk"],
                     kode_wilayah="14.72").slug,
        make_dataset(dumai, title="Kepadatan Penduduk Kota Dumai", slug="kepadatan-dumai",
                     tags=["penduduk", "kepadatan"], kode_wilayah="14.72").slug,
        make_dataset(rohil, title="Puskesmas Rokan Hilir", slug="puskesmas-rohil", tags=["kesehatan"],
                     kode_wilayah="14.07").slug,
    ]


def ckan_refusal(resp: Any, field: str, *needles: str) -> str:
    """CKAN's 409 Validation Error naming ``field``; returns the message."""
    assert resp.status_code == 409, (resp.status_code, resp.get_data(as_text=True)[:500])
    body = resp.get_json()
    assert body["success"] is False and "result" not in body
    error = body["error"]
    assert error["__type"] == "Validation Error"
    assert isinstance(error.get(field), list) and error[field], error
    message = str(error["message"])
    for needle in (field, *needles):
        assert needle in message, (needle, message)
    return message


def ckan_ok(resp: Any) -> dict[str, Any]:
    assert resp.status_code == 200, (resp.status_code, resp.get_data(as_text=True)[:500])
    body = resp.get_json()
    assert body["success"] is True
    return dict(body["result"])


def rest_refusal(resp: Any, field: str, *needles: str) -> str:
    assert resp.status_code == 422, (resp.status_code, resp.get_data(as_text=True)[:500])
    error = resp.get_json()["error"]
    assert error["code"] == "invalid" and error["details"].get(field), error
    for needle in (field, *needles):
        assert needle in error["message"], (needle, error["message"])
    return str(error["message"])


@pytest.fixture()
def engine_down(app: Flask) -> Iterator[None]:
    """The search engine cannot be reached (nothing listens on port 9): the database answers."""
    from satudata.search.elasticsearch import ElasticsearchBackend

    live = app.extensions.pop(EXTENSION_KEY, None)
    app.extensions[EXTENSION_KEY] = ElasticsearchBackend("http://127.0.0.1:9", timeout=1, max_retries=0)
    try:
        yield
    finally:
        app.extensions.pop(EXTENSION_KEY, None)
        if live is not None:
            app.extensions[EXTENSION_KEY] = live


# --------------------------------------------------------------------------- the attack


def test_fq_list_attack_posted_as_json_is_refused_at_once(datasets: list[str], scratch_client: FlaskClient) -> None:
    """The exact request of the finding: 20,000 ``-name:a`` clauses in ``fq_list``, JSON."""
    body = json.dumps({"fq_list": ATTACK})
    assert len(body) > 200_000
    resp = scratch_client.post(SEARCH, data=body, content_type="application/json")
    message = ckan_refusal(resp, "fq_list", str(CLAUSES), "klausa")
    assert "20000" in message or "20.000" in message


def test_fq_list_attack_by_get_is_refused_at_once(datasets: list[str], scratch_client: FlaskClient) -> None:
    """The same clauses as a repeated query parameter and as a JSON list in the query string."""
    ckan_refusal(scratch_client.get(SEARCH, query_string={"fq_list": ATTACK}), "fq_list", str(CLAUSES))
    ckan_refusal(scratch_client.get(SEARCH, query_string={"fq_list": json.dumps(ATTACK)}), "fq_list", str(CLAUSES))
    ckan_refusal(scratch_client.get(SEARCH, query_string={"fq": " ".join(ATTACK)}), "fq", str(FILTER_CHARS))


def test_990_clauses_are_a_validation_error_not_a_500(datasets: list[str], scratch_client: FlaskClient) -> None:
    """990 clauses made SQLite refuse the query ("Expression tree is too large")."""
    clauses = [f"-name:x{i}" for i in range(990)]
    ckan_refusal(scratch_client.post(SEARCH, json={"fq_list": clauses}), "fq_list", str(CLAUSES))
    ckan_refusal(scratch_client.post(SEARCH, json={"fq": " ".join(clauses)}), "fq")
    # Short enough for the length bound, too many clauses: the count bound says so.
    ckan_refusal(scratch_client.post(SEARCH, json={"fq": " ".join(["-id:a"] * 600)[:FILTER_CHARS]}), "fq",
                 str(CLAUSES), "klausa")


def test_clause_count_at_the_limit_answers(datasets: list[str], scratch_client: FlaskClient) -> None:
    """50 clauses (fq and fq_list together) are answered; 51 are refused, naming the bound."""
    clauses = [f"-name:x{i}" for i in range(CLAUSES)]
    for body in ({"fq_list": clauses}, {"fq": " ".join(clauses)},
                 {"fq": " ".join(clauses[:25]), "fq_list": clauses[25:]}):
        assert ckan_ok(scratch_client.post(SEARCH, json=body))["count"] == 3, body
    got = ckan_ok(scratch_client.get(SEARCH, query_string={"fq_list": clauses, "sort": "name asc"}))
    assert [d["name"] for d in got["results"]] == sorted(datasets)
    over = [*clauses, "-name:y"]
    ckan_refusal(scratch_client.post(SEARCH, json={"fq_list": over}), "fq_list", str(CLAUSES), "klausa")
    ckan_refusal(scratch_client.post(SEARCH, json={"fq": " ".join(over)}), "fq", str(CLAUSES), "klausa")
    ckan_refusal(scratch_client.post(SEARCH, json={"fq": " ".join(clauses[:25]), "fq_list": over[25:]}),
                 "fq_list", str(CLAUSES))


def _or_chain() -> str:
    """As many ``kode_wilayah:(20 values)`` clauses OR-ed together as the length bound allows."""
    parts: list[str] = []
    while len(parts) < CLAUSES:
        values = " OR ".join(["14.72", *(str(j) for j in range(CLAUSE_VALUES - 1))])
        candidate = " OR ".join([*parts, f"kode_wilayah:({values})"])
        if len(candidate) > FILTER_CHARS:
            break
        parts.append(f"kode_wilayah:({values})")
    return " OR ".join(parts)


@pytest.mark.parametrize("down", [False, True], ids=["engine", "engine-down"])
def test_database_fallback_answers_the_deepest_query_within_the_limits(
        datasets: list[str], app: Flask, scratch_client: FlaskClient, down: bool) -> None:
    """Negations, OR-lists and ranges are answered by SQL; at every bound at once the
    expression stays far inside what SQLite and PostgreSQL accept."""
    if down:
        from satudata.search.elasticsearch import ElasticsearchBackend

        app.extensions[EXTENSION_KEY] = ElasticsearchBackend("http://127.0.0.1:9", timeout=1, max_retries=0)
    try:
        words = " ".join(["penduduk"] * QUERY_WORDS)
        negated = [f"-name:x{i}" for i in range(CLAUSES - 1)]
        values = " OR ".join(["14.72", *(f"v{j}" for j in range(CLAUSE_VALUES - 1))])
        got = ckan_ok(scratch_client.post(SEARCH, json={
            "q": words, "fq": " ".join(negated), "fq_list": [f"kode_wilayah:({values})"],
            "facet.field": ["organization", "tags", "groups", "res_format", "license_id", "tahun"],
            "facet.limit": -1, "sort": "metadata_modified desc, name asc, id asc, title asc, metadata_created desc",
        }))
        assert got["count"] == 2 and got["facets"]["tags"] == {"penduduk": 2, "kepadatan": 1}
        chain = _or_chain()
        assert chain.count("kode_wilayah:") > 20
        assert ckan_ok(scratch_client.post(SEARCH, json={"q": words, "fq": chain}))["count"] == 2
        # Plain clauses of one field: more than an engine takes for one key; the database answers.
        tags = [f"tags:t{i}" for i in range(CLAUSES)]
        assert ckan_ok(scratch_client.post(SEARCH, json={"fq_list": tags}))["count"] == 0
        assert ckan_ok(scratch_client.post(SEARCH, json={"fq_list": ["tags:penduduk"] * CLAUSES}))["count"] == 2
    finally:
        if down:
            app.extensions.pop(EXTENSION_KEY, None)


# --------------------------------------------------------------------------- each other bound (CKAN)


def test_total_fq_length_is_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    ckan_refusal(scratch_client.post(SEARCH, json={"fq": "tags:" + "x" * FILTER_CHARS}), "fq", str(FILTER_CHARS))
    halves = ["tags:" + "x" * (FILTER_CHARS // 2)] * 2
    ckan_refusal(scratch_client.post(SEARCH, json={"fq_list": halves}), "fq_list", str(FILTER_CHARS))
    ckan_refusal(scratch_client.post(SEARCH, json={"fq": halves[0], "fq_list": halves[1:]}), "fq_list")


def test_values_per_clause_are_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    at_limit = " OR ".join(f"v{i}" for i in range(CLAUSE_VALUES))
    assert ckan_ok(scratch_client.post(SEARCH, json={"fq": f"-name:({at_limit})"}))["count"] == 3
    over = at_limit + " OR v999"
    ckan_refusal(scratch_client.post(SEARCH, json={"fq": f"tags:({over})"}), "fq", str(CLAUSE_VALUES), "nilai")
    ckan_refusal(scratch_client.post(SEARCH, json={"fq_list": [f"-name:({over})"]}), "fq_list", str(CLAUSE_VALUES))


def test_q_is_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    ckan_refusal(scratch_client.post(SEARCH, json={"q": "a" * (QUERY_CHARS + 1)}), "q", str(QUERY_CHARS))
    words = ["penduduk"] * QUERY_WORDS
    assert ckan_ok(scratch_client.post(SEARCH, json={"q": " ".join(words)}))["count"] == 2
    ckan_refusal(scratch_client.post(SEARCH, json={"q": " ".join([*words, "dumai"])}), "q", str(QUERY_WORDS), "kata")


def test_facets_are_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    fields = ["organization", "tags"] * (FACET_FIELDS // 2)
    assert ckan_ok(scratch_client.post(SEARCH, json={"facet.field": fields}))["facets"]["tags"]["penduduk"] == 2
    ckan_refusal(scratch_client.post(SEARCH, json={"facet.field": [*fields, "tags"]}), "facet.field",
                 str(FACET_FIELDS))
    ckan_refusal(scratch_client.post(SEARCH, json={"facet.field": ["tags"] * 20_000}), "facet.field")
    ckan_refusal(scratch_client.post(SEARCH, json={"facet.field": ["tags"], "facet.limit": FACET_LIMIT + 1}),
                 "facet.limit", str(FACET_LIMIT))
    for limit in (FACET_LIMIT, -1):
        got = ckan_ok(scratch_client.post(SEARCH, json={"facet.field": ["tags"], "facet.limit": limit}))
        assert got["facets"]["tags"] == {"penduduk": 2, "kepadatan": 1, "kesehatan": 1}


def test_rows_and_start_are_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    # More rows than the bound are lowered to it, as CKAN's ckan.search.rows_max does; what a
    # request may cost stays bounded all the same.
    huge = ckan_ok(scratch_client.post(SEARCH, json={"rows": 10**9}))
    assert huge["count"] == 3 and len(huge["results"]) == 3
    ckan_refusal(scratch_client.post(SEARCH, json={"rows": -1}), "rows")
    for sort in ("score desc, metadata_modified desc", "name asc"):  # the engine and the database
        got = ckan_ok(scratch_client.post(SEARCH, json={"start": MAX_START, "sort": sort}))
        assert got["count"] == 3 and got["results"] == []
        ckan_refusal(scratch_client.post(SEARCH, json={"start": MAX_START + 1, "sort": sort}), "start", "100")


def test_sort_is_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    long_sort = "name asc" + " " * SORT_CHARS
    ckan_refusal(scratch_client.post(SEARCH, json={"sort": long_sort}), "sort", str(SORT_CHARS))
    ckan_refusal(scratch_client.post(SEARCH, json={"sort": ", ".join(["name asc"] * 20_000)}), "sort")
    keys = ["name asc", "id asc", "title asc", "metadata_created desc", "metadata_modified desc"]
    assert ckan_ok(scratch_client.post(SEARCH, json={"sort": ", ".join(keys)}))["count"] == 3
    ckan_refusal(scratch_client.post(SEARCH, json={"sort": ", ".join([*keys, "views_total desc"])}), "sort",
                 str(SORT_KEYS))


def test_autocomplete_text_is_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    autocomplete = "/api/3/action/package_autocomplete"
    at_limit = scratch_client.post(autocomplete, json={"q": "kepadatan " + "x" * (SUGGEST_CHARS - 10)})
    assert at_limit.status_code == 200 and isinstance(at_limit.get_json()["result"], list)
    ckan_refusal(scratch_client.post(autocomplete, json={"q": "x" * (SUGGEST_CHARS + 1)}), "q", str(SUGGEST_CHARS))
    resp = scratch_client.get("/dataset/saran", query_string={"q": "x" * (SUGGEST_CHARS + 1)})
    assert resp.status_code == 400 and "q" in resp.get_json()["error"]["details"]
    assert scratch_client.get("/dataset/saran", query_string={"q": "x" * SUGGEST_CHARS}).status_code == 200


# --------------------------------------------------------------------------- REST /api/v1/datasets


def test_rest_dataset_list_is_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    url = "/api/v1/datasets"
    rest_refusal(scratch_client.get(url, query_string={"tag": ["a"] * 20_000}), "tag", str(CLAUSES))
    spread = {"tag": [f"t{i}" for i in range(20)], "format": [f"F{i}" for i in range(20)],
              "kode_wilayah": [f"14.{i}" for i in range(10)]}
    assert scratch_client.get(url, query_string=spread).status_code == 200
    rest_refusal(scratch_client.get(url, query_string={**spread, "organization": "x"}), "organization", str(CLAUSES))
    rest_refusal(scratch_client.get(url, query_string={"q": " ".join(["a"] * (QUERY_WORDS + 1))}), "q",
                 str(QUERY_WORDS))
    last = MAX_START // 20 + 1  # the page that starts at MAX_START with 20 per page
    assert scratch_client.get(url, query_string={"page": last}).status_code == 404  # past the end, allowed
    rest_refusal(scratch_client.get(url, query_string={"page": last + 1}), "page", "100")
    rest_refusal(scratch_client.get(url, query_string={"page": MAX_START // MAX_ROWS + 2, "per_page": MAX_ROWS}), "page")


def test_rest_database_fallback_within_the_limits(datasets: list[str], engine_down: None,
                                                  scratch_client: FlaskClient) -> None:
    # The search box holds 200 characters: short words reach the word bound.
    query = {"q": " ".join(["pen"] * QUERY_WORDS), "tag": ["penduduk"] * CLAUSES}
    resp = scratch_client.get("/api/v1/datasets", query_string=query)
    assert resp.status_code == 200 and resp.get_json()["meta"]["total"] == 2


# --------------------------------------------------------------------------- the /dataset page


def test_dataset_page_is_bounded(datasets: list[str], scratch_client: FlaskClient) -> None:
    assert_error_page(scratch_client.get("/dataset", query_string={"tag": ["a"] * 20_000}), 400)
    assert_error_page(scratch_client.get("/dataset", query_string={"tag": [f"t{i}" for i in range(20_000)]}), 400)
    assert_error_page(scratch_client.get("/dataset", query_string={"q": " ".join(["a"] * (QUERY_WORDS + 1))}), 400,
                      str(QUERY_WORDS))
    assert scratch_client.get("/dataset", query_string={"q": " ".join(["pen"] * QUERY_WORDS)}).status_code == 200
    # A page past the end stays the site's 404 however deep it is.
    assert scratch_client.get("/dataset", query_string={"page": MAX_START // 20 + 2}).status_code == 404


def test_dataset_page_depth_is_bounded(datasets: list[str], app: Flask, scratch_client: FlaskClient,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Results that go on deeper than SEARCH_MAX_START are refused with a 400 page (here with a
    bound of 1 and one dataset per page, as three datasets cannot reach 100,000)."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 1)
    monkeypatch.setitem(app.config, "SEARCH_MAX_START", 1)
    assert scratch_client.get("/dataset", query_string={"page": 2}).status_code == 200
    assert_error_page(scratch_client.get("/dataset", query_string={"page": 3}), 400, "page", "halaman 2")
    assert scratch_client.get("/dataset", query_string={"page": 4}).status_code == 404
    resp = scratch_client.get("/api/v1/datasets", query_string={"page": 3, "per_page": 1})
    rest_refusal(resp, "page", "halaman 2")
    ckan_refusal(scratch_client.post(SEARCH, json={"start": 2}), "start", "paling banyak 1")


def test_dataset_page_database_fallback_within_the_limits(datasets: list[str], engine_down: None,
                                                          scratch_client: FlaskClient) -> None:
    resp = scratch_client.get("/dataset", query_string={"q": " ".join(["pen"] * QUERY_WORDS),
                                                        "tag": ["penduduk", "kepadatan"]})
    assert resp.status_code == 200 and "Kepadatan Penduduk Kota Dumai" in resp.get_data(as_text=True)


# --------------------------------------------------------------------------- a real CKAN client


def test_ckanapi_gets_a_validation_error(datasets: list[str], app: Flask) -> None:
    """ckanapi (what harvesters and mirrors use) sends the attack and gets CKAN's error back."""
    for url in serve_live(app, "query-bounds-server"):
        with ckanapi.RemoteCKAN(url, user_agent="satudata-tests") as remote:
            with pytest.raises(ckanapi.ValidationError) as refused:
                remote.action.package_search(fq_list=ATTACK)
            assert "fq_list" in refused.value.error_dict
            assert remote.action.package_search(fq_list=[f"-name:x{i}" for i in range(CLAUSES)])["count"] == 3
