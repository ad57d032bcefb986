"""The citizen's journey of the issue on the demo catalogue: "penduduk rohil" gives relevant
results with facet counts, narrowing by OPD and year works, suggestions come while typing,
and the drafts of the demo never appear."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from satudata.catalog.models import Dataset, DatasetState
from satudata.extensions import db
from satudata.search import services
from satudata.search.backend import get_backend


@pytest.fixture(scope="module")
def demo_search(demo_app: Flask) -> Flask:
    """The demo app with its search index built in its instance folder. The index is left in
    place afterwards: it mirrors the read-only demo data, as ``satudata run --demo`` would."""
    with demo_app.app_context():
        get_backend(demo_app).drop_index()
        assert services.reindex_all() == 53
    return demo_app


def test_penduduk_rohil(demo_search):
    with demo_search.app_context():
        r = services.search_datasets("penduduk rohil", facet_keys=("organization", "year", "topic"))
        assert r.total >= 2
        top = r.items[0]
        assert "Penduduk" in top.title and "Rokan Hilir" in top.title
        in_rohil = [d for d in r.items if "Rokan Hilir" in d.title]
        assert len(in_rohil) >= len(r.items) - 1  # a province table listing every kabupaten may follow
        assert "<mark>" in r.highlights[top.id]["title"]
        orgs = r.facets["organization"]
        assert orgs and sum(n for _v, _label, n in orgs) == r.total
        org_slug, _label, org_count = orgs[0]
        year = r.facets["year"][0][0]
        narrowed = services.search_datasets("penduduk rohil", {"organization": [org_slug], "year": [year]})
        assert 1 <= narrowed.total <= org_count
        assert all(d.organization.slug == org_slug and str(d.year) == year for d in narrowed.items)


def test_kependudukan_finds_penduduk_and_suggestions(demo_search):
    with demo_search.app_context():
        titles = [d.title for d in services.search_datasets("kependudukan", per_page=50).items]
        assert any("Penduduk" in t and "Kependudukan" not in t for t in titles)
        suggestions = services.suggest_titles("jumlah pendu")
        assert suggestions and all("Penduduk" in s.title for s in suggestions)


def test_demo_drafts_are_not_searchable(demo_search):
    with demo_search.app_context():
        hidden = db.session.scalars(select(Dataset).where(Dataset.state != DatasetState.PUBLISHED)).all()
        assert hidden
        found = {d.id for d in services.search_datasets("penduduk rentan administrasi", per_page=100).items}
        assert not found & {d.id for d in hidden}
        assert services.search_status().in_sync
