"""Conditional reads: the REST and CKAN APIs answer a repeated read of unchanged data with
``304 Not Modified`` and no body (an ETag from the body), so harvesters and dashboards that ask
again cost almost nothing; a change gives a new ETag."""

from __future__ import annotations

from typing import Any

from satudata.extensions import db
from tests.factories import make_dataset


def test_repeated_reads_of_unchanged_data_are_304(app: Any) -> None:
    ds = make_dataset(title="Jumlah Puskesmas per Kecamatan")
    client = app.test_client()
    for url in (f"/api/3/action/package_show?id={ds.slug}", "/api/3/action/package_search?q=puskesmas",
                f"/api/v1/datasets/{ds.slug}"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers.get("ETag"), url
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"", url
    before = client.get(f"/api/3/action/package_show?id={ds.slug}").headers["ETag"]
    ds.description = "Diperbarui."  # setup: the published row itself, as a merged revision leaves it
    db.session.commit()
    changed = client.get(f"/api/3/action/package_show?id={ds.slug}", headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["ETag"] != before
    # Writes and errors carry none.
    missing = client.get("/api/3/action/package_show?id=tidak-ada")
    assert missing.status_code == 404 and "ETag" not in missing.headers
