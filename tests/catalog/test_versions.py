"""Published versions for the public: the list and one version over the REST API, each file of
a version downloadable by its SHA-256 for as long as the dataset is public, whatever later
versions hold (the storage sweep keeps what a version names); a withdrawn dataset's page, files
and versions answer 410 with the public reason, the CKAN API 404."""

from __future__ import annotations

import io
import os
import time
from typing import Any

import pytest

from satudata.catalog import services as catalog
from satudata.catalog.models import AccessClass
from satudata.catalog.storage import get_store, sweep_files
from satudata.extensions import db
from satudata.review import services as review
from tests.factories import SYSTEM, make_dataset, validate, withdraw_dataset

FIRST = "kecamatan,jumlah\nKubu,12\nBangko,20\n"
SECOND = "kecamatan,jumlah\nKubu,13\nBangko,21\nSinaboi,4\n"


def fetch(client: Any, path: str) -> tuple[int, bytes, str]:
    """GET ``path``: status, body and content type, the response closed (downloads stream)."""
    resp = client.get(path)
    try:
        return resp.status_code, resp.get_data(), resp.headers.get("Content-Disposition", "")
    finally:
        resp.close()


def _local(url: str) -> str:
    return url.removeprefix("http://localhost")


def _republished_with_another_file(ds: Any) -> Any:
    """Withdrawn, its table replaced by another (the system may change a withdrawn dataset),
    validated and published again: version 2, whose file is not version 1's."""
    withdraw_dataset(ds, "Angka diperbarui")
    catalog.delete_resource(SYSTEM, ds.resources[0])
    table = catalog.upload_resource(SYSTEM, ds, io.BytesIO(SECOND.encode()), filename="puskesmas-2025.csv",
                                    name="Puskesmas")
    assert validate(table) == "valid"
    review.republish_dataset(SYSTEM, ds, note="Angka diperbarui")
    db.session.commit()
    return table


def test_versions_list_and_detail(app: Any, scratch_client: Any) -> None:
    ds = make_dataset(title="Jumlah Puskesmas", csv=FIRST)
    first = ds.resources[0]
    body = scratch_client.get(f"/api/v1/datasets/{ds.slug}/versions").json
    assert body["meta"] == {"total": 1}
    [v1] = body["data"]
    assert (v1["version"], v1["title"]) == (1, "Jumlah Puskesmas") and v1["published_at"].endswith("Z")
    assert v1["url"] == f"http://localhost/api/v1/datasets/{ds.slug}/versions/1"
    detail = scratch_client.get(f"/api/v1/datasets/{ds.slug}/versions/1").json["data"]
    assert detail["metadata"]["title"] == "Jumlah Puskesmas" and "resources" not in detail["metadata"]
    assert detail["metadata"]["satuan"] == "jiwa" and detail["metadata"]["topics"] == ["umum"]
    [res] = detail["resources"]
    assert res["sha256"] == first.sha256 and res["filename"] == "penduduk.csv" and res["row_count"] == 2
    assert res["download_url"] == f"http://localhost/dataset/{ds.slug}/versi/1/berkas/{first.sha256}"
    status, data, disposition = fetch(scratch_client, _local(res["download_url"]))
    assert (status, data) == (200, FIRST.encode()) and "penduduk.csv" in disposition
    # By id too; unknown versions and files are 404.
    assert scratch_client.get(f"/api/v1/datasets/{ds.id}/versions").json["meta"]["total"] == 1
    assert scratch_client.get(f"/api/v1/datasets/{ds.slug}/versions/2").status_code == 404
    assert scratch_client.get(f"/api/v1/datasets/{ds.slug}/versions/0").status_code == 404
    assert fetch(scratch_client, f"/dataset/{ds.slug}/versi/1/berkas/{'0' * 64}")[0] == 404
    assert fetch(scratch_client, f"/dataset/{ds.slug}/versi/7/berkas/{first.sha256}")[0] == 404
    draft = make_dataset(publish=False, title="Draf")
    assert scratch_client.get(f"/api/v1/datasets/{draft.slug}/versions").status_code == 404


def test_old_versions_stay_downloadable_and_the_sweep_keeps_their_files(app: Any, scratch_client: Any) -> None:
    ds = make_dataset(title="Jumlah Puskesmas", csv=FIRST)
    old_sha = ds.resources[0].sha256
    table = _republished_with_another_file(ds)
    assert [v.number for v in ds.versions] == [2, 1]
    versions = scratch_client.get(f"/api/v1/datasets/{ds.slug}/versions").json["data"]
    assert [(v["version"], v["note"]) for v in versions] == [(2, "Angka diperbarui"), (1, "")]
    v2 = scratch_client.get(f"/api/v1/datasets/{ds.slug}/versions/2").json["data"]
    assert [r["sha256"] for r in v2["resources"]] == [table.sha256]
    # Nothing but version 1's snapshot names the old file now (its resource row is gone).
    store = get_store()
    old = store.path(old_sha)
    long_ago = time.time() - 10 * 86400
    os.utime(old, (long_ago, long_ago))
    stray = store.put(io.BytesIO(b"berkas yang tidak dipakai siapa pun"))
    os.utime(store.path(stray.sha256), (long_ago, long_ago))
    assert sweep_files() >= 1  # (the store is shared by this process's tests: count only ours)
    assert old.exists() and not store.path(stray.sha256).exists()
    assert fetch(scratch_client, f"/dataset/{ds.slug}/versi/1/berkas/{old_sha}")[:2] == (200, FIRST.encode())
    assert fetch(scratch_client, f"/dataset/{ds.slug}/versi/2/berkas/{table.sha256}")[:2] == (200, SECOND.encode())
    # A version's file only under that version.
    assert fetch(scratch_client, f"/dataset/{ds.slug}/versi/2/berkas/{old_sha}")[0] == 404


def test_a_withdrawn_dataset_answers_410_with_its_reason(app: Any, scratch_client: Any) -> None:
    ds = make_dataset(title="Jumlah Puskesmas", csv=FIRST)
    res = ds.resources[0]
    withdraw_dataset(ds, "Angka Bangko keliru; rilis perbaikan menyusul.")
    for path in (f"/dataset/{ds.slug}", f"/dataset/{ds.id}", f"/dataset/{ds.slug}/resource/{res.id}",
                 f"/dataset/{ds.slug}/resource/{res.id}/download", f"/dataset/{ds.slug}/resource/{res.id}/unduh.csv",
                 f"/dataset/{ds.slug}/versi/1/berkas/{res.sha256}"):
        status, body, _ = fetch(scratch_client, path)
        page = body.decode()
        assert status == 410, path
        assert "Dataset sudah ditarik" in page and "Angka Bangko keliru; rilis perbaikan menyusul." in page, path
        assert 'telah ditarik dari portal oleh walidata pada' in page and "<code>reason</code>" not in page
    english = scratch_client.get(f"/dataset/{ds.slug}?lang=en")
    assert english.status_code == 410 and "Dataset withdrawn" in english.get_data(as_text=True)
    for path in (f"/api/v1/datasets/{ds.slug}", f"/api/v1/datasets/{ds.slug}/versions",
                 f"/api/v1/datasets/{ds.slug}/versions/1", f"/api/v1/resources/{res.id}",
                 f"/api/v1/resources/{res.id}/rows"):
        resp = scratch_client.get(path)
        assert resp.status_code == 410 and resp.json["error"]["code"] == "gone", path
        assert resp.json["error"]["details"]["reason"] == ["Angka Bangko keliru; rilis perbaikan menyusul."]
        assert resp.json["error"]["details"]["withdrawn_at"][0].endswith("Z")
    # CKAN clients and harvesters get CKAN's own answer: not found.
    for action, key in (("package_show", ds.slug), ("resource_show", res.id)):
        resp = scratch_client.get(f"/api/3/action/{action}?id={key}")
        assert resp.status_code == 404 and resp.json["success"] is False, action
    # Withdrawn before it was ever public (not publik): nothing to explain, 404.
    hidden = make_dataset(title="Data Terbatas", access_class=AccessClass.TERBATAS)
    withdraw_dataset(hidden, "Tidak untuk publik")
    assert fetch(scratch_client, f"/dataset/{hidden.slug}")[0] == 404
    assert scratch_client.get(f"/api/v1/datasets/{hidden.slug}").status_code == 404


@pytest.mark.parametrize("missing", ["page", "file"])
def test_a_missing_version_file_is_a_clear_404(app: Any, scratch_client: Any, missing: str) -> None:
    ds = make_dataset(csv=FIRST + f"{missing},0\n")  # content of its own: the store is content-addressed
    sha = ds.resources[0].sha256
    if missing == "file":
        get_store().path(sha).unlink()
        status, body, _ = fetch(scratch_client, f"/dataset/{ds.slug}/versi/1/berkas/{sha}")
        assert status == 404 and "Berkas versi ini tidak tersedia" in body.decode()
    else:
        assert fetch(scratch_client, f"/dataset/tidak-ada/versi/1/berkas/{sha}")[0] == 404
