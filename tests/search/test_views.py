"""The search blueprint in the Flask test client: suggestions while typing (over the demo
catalogue, and with the engine unreachable) and the walidata's synonym screen (with CSRF
protection on, as in production)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog, OrganizationKind
from satudata.extensions import db
from satudata.search import services as search
from satudata.search.backend import EXTENSION_KEY, synonym_store
from satudata.search.elasticsearch import ElasticsearchBackend
from satudata.search.synonyms import DEFAULT_SYNONYMS, SynonymSet
from tests.factories import SYSTEM, make_dataset

PASSWORD = "kata-sandi-uji-123"

# --------------------------------------------------------------------------- suggestions


def suggest(client: FlaskClient, q: str, status: int = 200, **params: Any) -> dict[str, Any]:
    resp = client.get("/dataset/saran", query_string={"q": q, **params})
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert isinstance(body["suggestions"], list)
    return body


def test_suggestions_complete_titles_and_link_to_datasets(client: FlaskClient) -> None:
    body = suggest(client, "jumlah pendu")
    assert body["available"] is True and body["q"] == "jumlah pendu"
    titles = [s["title"] for s in body["suggestions"]]
    assert titles and all("Penduduk" in t for t in titles)
    assert len(titles) <= 8
    first = body["suggestions"][0]
    assert re.fullmatch(r"/dataset/[a-z0-9-]+", first["url"])
    page = client.get(first["url"])
    assert page.status_code == 200 and first["title"] in page.get_data(as_text=True)


def test_suggestions_understand_the_synonym_list(client: FlaskClient) -> None:
    """"rohil" is not in any title; the synonym list says it is Rokan Hilir."""
    titles = [s["title"] for s in suggest(client, "penduduk rohil")["suggestions"]]
    assert titles and all("Rokan Hilir" in t for t in titles)
    assert any("Penduduk" in t for t in titles)


def test_suggestion_limit(client: FlaskClient) -> None:
    assert len(suggest(client, "jumlah", limit=2)["suggestions"]) == 2
    assert suggest(client, "jumlah", status=400, limit="banyak")["error"]["details"]["limit"]
    suggest(client, "jumlah", status=400, limit=0)
    suggest(client, "jumlah", status=400, limit=21)


@pytest.mark.parametrize("q", ["", "   ", "a", '"', "*", ":", "(", '"*:(', "((((((", "penduduk\"*:(",
                               "tags:penduduk", "\u202e\u200b", "x" * 200, "penduduk " * 22])
def test_odd_text_gives_a_list(client: FlaskClient, q: str) -> None:
    body = suggest(client, q)
    assert body["available"] is True
    for item in body["suggestions"]:
        assert set(item) == {"title", "url"}


def test_syntax_characters_are_separators(client: FlaskClient) -> None:
    plain = suggest(client, "jumlah penduduk")["suggestions"]
    assert plain and suggest(client, '"jumlah*: (penduduk')["suggestions"] == plain


def test_overlong_text_is_a_clear_400(client: FlaskClient) -> None:
    body = suggest(client, "x" * 10_000, status=400)
    assert body["suggestions"] == []
    assert "terlalu panjang" in body["error"]["message"]


def test_nul_is_a_clear_400_in_json(client: FlaskClient) -> None:
    resp = client.get("/dataset/saran?q=pen%00duduk")
    assert resp.status_code == 400 and resp.mimetype == "application/json"
    assert "NUL" in resp.get_json()["error"]["message"]


def test_suggestions_can_be_cached_briefly(client: FlaskClient) -> None:
    resp = client.get("/dataset/saran?q=penduduk")
    assert resp.headers["Cache-Control"] == "public, max-age=60"


@pytest.fixture()
def engine_down(app: Flask) -> Iterator[None]:
    live = app.extensions.pop(EXTENSION_KEY, None)
    # Nothing listens on port 9: a real client that cannot reach its engine.
    app.extensions[EXTENSION_KEY] = ElasticsearchBackend("http://127.0.0.1:9", timeout=1, max_retries=0)
    yield
    app.extensions.pop(EXTENSION_KEY, None)
    if live is not None:
        app.extensions[EXTENSION_KEY] = live


def test_engine_down_gives_an_empty_list_with_a_flag(scratch_client: FlaskClient, engine_down: None) -> None:
    resp = scratch_client.get("/dataset/saran?q=penduduk")
    assert resp.status_code == 200
    assert resp.get_json() == {"q": "penduduk", "suggestions": [], "available": False}
    assert resp.headers["Cache-Control"] == "no-store"


def test_search_boxes_ask_for_suggestions(client: FlaskClient) -> None:
    for path, box in (("/", "home-q"), ("/dataset", "list-q")):
        html = client.get(path).get_data(as_text=True)
        tag = re.search(rf'<input id="{box}"[^>]*>', html)
        assert tag and 'data-suggest-url="/dataset/saran"' in tag.group(0), path
        assert '<script src="/static/js/suggest.js" defer></script>' in html
        assert 'name="q"' in tag.group(0)  # still a plain GET form without the script


# --------------------------------------------------------------------------- synonyms screen


@pytest.fixture()
def staff(app: Flask) -> dict[str, Any]:
    prov = accounts.create_organization(SYSTEM, slug="pemprov-riau", name="Pemerintah Provinsi Riau",
                                        kind=OrganizationKind.PROVINSI, kode_wilayah="14", is_walidata=True)
    dinkes = accounts.create_organization(SYSTEM, slug="dinkes-riau", name="Dinas Kesehatan Provinsi Riau",
                                          kind=OrganizationKind.OPD, parent=prov)
    made = {}
    for role, org in (("walidata", prov), ("produsen", dinkes), ("admin", prov)):
        made[role] = accounts.create_user(SYSTEM, username=role, email=f"{role}@riau.go.id",
                                          full_name=f"Pengguna {role}", password=PASSWORD, roles=[(role, org)])
    db.session.commit()
    return made


@pytest.fixture()
def synonym_file(app: Flask) -> Iterator[Any]:
    """The scratch app's synonym file, back to the defaults afterwards (the instance folder
    lives for the whole run)."""
    store = synonym_store(app)
    assert store.path is not None
    yield store
    store.save(DEFAULT_SYNONYMS)
    store.path.unlink()


def csrf_token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(client: FlaskClient, username: str) -> None:
    resp = client.post("/masuk", data={"login": username, "password": PASSWORD,
                                       "csrf_token": csrf_token(client, "/masuk")})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]


def page_text(client: FlaskClient, path: str) -> str:
    """A page's text without tags (search results mark the words that matched)."""
    return re.sub(r"<[^>]+>", "", client.get(path).get_data(as_text=True))


def audit_rows() -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "search.synonyms.update")))


def test_anonymous_is_sent_to_sign_in(scratch_client: FlaskClient) -> None:
    resp = scratch_client.get("/admin/sinonim")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/masuk?next=")
    assert "sinonim" in resp.headers["Location"]


def test_produsen_is_refused(scratch_client: FlaskClient, staff: dict[str, Any], synonym_file: Any) -> None:
    sign_in(scratch_client, "produsen")
    assert scratch_client.get("/admin/sinonim").status_code == 403
    token = csrf_token(scratch_client, "/akun")
    resp = scratch_client.post("/admin/sinonim", data={"csrf_token": token, "synonyms": "a, b\n"})
    assert resp.status_code == 403
    assert search.synonyms_text() == DEFAULT_SYNONYMS
    assert audit_rows() == []


def test_walidata_sees_the_list_and_its_format(scratch_client: FlaskClient, staff: dict[str, Any],
                                               synonym_file: Any) -> None:
    sign_in(scratch_client, "walidata")
    resp = scratch_client.get("/admin/sinonim")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "faskes, fasilitas kesehatan" in html  # the example and the current list
    assert "rohil, rokan hilir" in html
    assert re.search(r"\d+ kelompok padanan kata sedang berlaku", html)
    assert 'name="csrf_token"' in html and '<textarea id="synonyms" name="synonyms"' in html
    assert "Menu admin" not in html  # the admin pages are not the walidata's


def test_walidata_saves_and_the_next_search_uses_it(scratch_client: FlaskClient, staff: dict[str, Any],
                                                    synonym_file: Any) -> None:
    make_dataset(title="Jumlah Posyandu Aktif Kota Dumai", year=2024)
    query = "/dataset?q=pos+pelayanan+terpadu"
    assert "Jumlah Posyandu Aktif Kota Dumai" not in page_text(scratch_client, query)

    sign_in(scratch_client, "walidata")
    token = csrf_token(scratch_client, "/admin/sinonim")
    text = DEFAULT_SYNONYMS + "posyandu, pos pelayanan terpadu\r\n"
    resp = scratch_client.post("/admin/sinonim", data={"csrf_token": token, "synonyms": text})
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin/sinonim"
    page = scratch_client.get("/admin/sinonim").get_data(as_text=True)
    assert "Daftar padanan kata disimpan" in page and "posyandu, pos pelayanan terpadu" in page

    assert "Jumlah Posyandu Aktif Kota Dumai" in page_text(scratch_client, query)
    found = scratch_client.get("/api/3/action/package_search?q=pos pelayanan terpadu").get_json()["result"]
    assert found["count"] == 1
    assert search.synonyms_text().endswith("posyandu, pos pelayanan terpadu\n")

    rows = audit_rows()
    assert len(rows) == 1
    assert rows[0].actor_id == staff["walidata"].id
    assert rows[0].summary["groups"] == len(SynonymSet.parse(DEFAULT_SYNONYMS).groups) + 1


def test_admin_may_edit_too(scratch_client: FlaskClient, staff: dict[str, Any], synonym_file: Any) -> None:
    sign_in(scratch_client, "admin")
    html = scratch_client.get("/admin/sinonim").get_data(as_text=True)
    assert "Menu admin" in html
    token = csrf_token(scratch_client, "/admin/sinonim")
    resp = scratch_client.post("/admin/sinonim", data={"csrf_token": token, "synonyms": "rohil, rokan hilir\n"})
    assert resp.status_code == 302
    assert search.synonyms_text() == "rohil, rokan hilir\n"


def test_missing_csrf_token_is_refused(scratch_client: FlaskClient, staff: dict[str, Any],
                                       synonym_file: Any) -> None:
    sign_in(scratch_client, "walidata")
    resp = scratch_client.post("/admin/sinonim", data={"synonyms": "a, b\n"})
    assert resp.status_code == 400
    assert "token keamanan" in resp.get_data(as_text=True)
    assert search.synonyms_text() == DEFAULT_SYNONYMS
    assert audit_rows() == []


@pytest.mark.parametrize("text, message", [
    ("faskes, fasilitas kesehatan\nrohil\n", "baris 2"),
    ("faskes => fasilitas kesehatan\n", "bukan &#39;=&gt;&#39;"),
    ("a, " + "b" * 600 + "\n", "baris terlalu panjang"),
    ("a, b\n" * 2001, "paling banyak 2000 baris"),
    ("x" * 100_001, "terlalu panjang"),
])
def test_bad_lists_say_why_and_save_nothing(scratch_client: FlaskClient, staff: dict[str, Any], synonym_file: Any,
                                            text: str, message: str) -> None:
    sign_in(scratch_client, "walidata")
    token = csrf_token(scratch_client, "/admin/sinonim")
    resp = scratch_client.post("/admin/sinonim", data={"csrf_token": token, "synonyms": text})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert message in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert search.synonyms_text() == DEFAULT_SYNONYMS
    assert audit_rows() == []


def test_a_form_without_the_list_wipes_nothing(scratch_client: FlaskClient, staff: dict[str, Any],
                                               synonym_file: Any) -> None:
    sign_in(scratch_client, "walidata")
    token = csrf_token(scratch_client, "/admin/sinonim")
    resp = scratch_client.post("/admin/sinonim", data={"csrf_token": token})
    assert resp.status_code == 400
    assert search.synonyms_text() == DEFAULT_SYNONYMS
    assert audit_rows() == []


@pytest.mark.parametrize(("text", "message"), [
    ("a, b\n\nc, d\x00\n", "karakter NUL"),  # refused at the door for every form (security.py)
    ("a, b\n\nc\x1b, d\n", "baris 3"),
])
def test_control_characters_are_refused(scratch_client: FlaskClient, staff: dict[str, Any], synonym_file: Any,
                                        text: str, message: str) -> None:
    sign_in(scratch_client, "walidata")
    token = csrf_token(scratch_client, "/admin/sinonim")
    resp = scratch_client.post("/admin/sinonim", data={"csrf_token": token, "synonyms": text})
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    assert message in resp.get_data(as_text=True)
    assert search.synonyms_text() == DEFAULT_SYNONYMS
    assert audit_rows() == []
