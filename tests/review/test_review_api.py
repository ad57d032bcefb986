"""The walidata's review over the REST API (/api/v1/review) and the whole lifecycle through the
APIs, with tokens made by ``satudata token create``: a producer submits, the walidata asks for a
change on one field, the producer reads it, fixes, resubmits; the walidata publishes; the public
sees version 1; a withdrawal answers 410 (CKAN 404) and leaves the search index; republished, it
is back. Every answer is checked against the OpenAPI document. Also: refusals (who, what
state, a stale page, bad bodies) and two walidata publishing at the same moment."""

from __future__ import annotations

import io
import threading
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import current_app
from sqlalchemy import select

from satudata import jobs
from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog
from satudata.api.openapi import operations
from satudata.catalog.models import Dataset, DatasetVersion, Resource, Topic
from satudata.cli import token_group
from satudata.extensions import db
from satudata.review.models import ReviewEvent
from satudata.search import services as search
from satudata.search.tasks import sync_dataset
from tests.accounts.conftest import PASSWORD, bearer, orgs, tokens, users  # noqa: F401  (fixtures)
from tests.api.test_workspace_api import METADATA, REVISION_OPERATIONS, Api, document  # noqa: F401  (fixture)
from tests.conftest import serve_live
from tests.factories import SYSTEM, make_dataset, submit_dataset, validate
from tests.workspace.conftest import vocab  # noqa: F401  (fixture)

CSV = "kode_wilayah,puskesmas,jumlah\n14.07.01,Kubu,12\n14.07.02,Bangko,20\n14.07.03,Tanah Putih,17\n"


def cli_token(app: Any, username: str, scope: str = "write") -> str:
    """``satudata token create``: the token alone on the last line of the output."""
    result = app.test_cli_runner().invoke(token_group, ["create", "--user", username, "--name", "Skrip uji",
                                                        "--scope", scope])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


@pytest.fixture()
def api(scratch_client: Any, document: dict[str, Any], request: Any) -> Api:  # noqa: F811
    return Api(scratch_client, document, request)


def _dataset(slug: str) -> Dataset:
    db.session.expire_all()
    return db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one()


def fetch(client: Any, path: str) -> tuple[int, bytes]:
    """GET ``path``; its status and body, the response closed (file downloads stream)."""
    resp = client.get(path)
    try:
        return resp.status_code, resp.get_data()
    finally:
        resp.close()


def _local(url: str) -> str:
    """An absolute link the API gave, as a path for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.jobs
def test_the_whole_lifecycle_through_the_apis(app: Any, api: Api, scratch_client: Any) -> None:
    produsen, walidata = cli_token(app, "produsen"), cli_token(app, "walidata")
    assert cli_token(app, "walidata", "read") != walidata
    ws, rv = "/workspace/datasets", "/review/datasets"

    # The producer: a draft, its table (validated as the worker would), submitted.
    slug = api("post", ws, 201, token=produsen, json={**METADATA, "satuan": "orang"})["data"]["slug"]
    api("post", ws + "/{slug}/resources", 201, path=f"{ws}/{slug}/resources", token=produsen,
        data={"file": (io.BytesIO(CSV.encode()), "puskesmas.csv"), "name": "Puskesmas"},
        content_type="multipart/form-data")
    table = db.session.scalars(select(Resource).join(Resource.dataset).where(Dataset.slug == slug)).one()
    assert validate(table) == "valid"
    api("post", ws + "/{slug}/submit", 200, path=f"{ws}/{slug}/submit", token=produsen, json={"note": "Siap"})

    # The walidata's queue, and a request for changes on one field.
    queue = api("get", "/review/queue", 200, token=walidata)
    assert [item["slug"] for item in queue["data"]] == [slug] and queue["meta"] == {"total": 1}
    item = queue["data"][0]
    assert item["organization"]["slug"] == "dinkes-riau" and item["note"] == "Siap" and item["waiting"]
    assert api("get", "/review/queue", 200, query="?topic=kesehatan", token=walidata)["meta"]["total"] == 1
    assert api("get", "/review/queue", 200, query="?organization=pemkot-dumai", token=walidata)["data"] == []
    back = api("post", rv + "/{slug}/request-changes", 200, path=f"{rv}/{slug}/request-changes", token=walidata,
               json={"message": "", "field_notes": {"satuan": "Tenaga kesehatan dihitung dalam jiwa? Tulis orang "
                                                              "atau jiwa sesuai standar."},
                     "expected_event_id": item["last_event_id"]})["data"]
    assert back["state"] == "changes_requested"

    # The producer reads the note on the field, fixes it and submits again.
    mine = api("get", ws + "/{slug}", 200, path=f"{ws}/{slug}", token=produsen)["data"]
    assert mine["state"] == "changes_requested" and list(mine["field_notes"]) == ["satuan"]
    assert mine["events"][0]["action"] == "request_changes" and mine["last_event_id"] == mine["events"][0]["id"]
    api("patch", ws + "/{slug}", 200, path=f"{ws}/{slug}", token=produsen, json={"satuan": "jiwa"})
    api("post", ws + "/{slug}/submit", 200, path=f"{ws}/{slug}/submit", token=produsen)

    # The walidata publishes what is there now.
    last = api("get", "/review/queue", 200, token=walidata)["data"][0]["last_event_id"]
    published = api("post", rv + "/{slug}/publish", 200, path=f"{rv}/{slug}/publish", token=walidata,
                    json={"note": "Rilis 2025", "expected_event_id": last})["data"]
    assert published["state"] == "published" and published["published_at"]
    assert api("get", "/review/queue", 200, token=walidata)["data"] == []
    dataset = _dataset(slug)
    assert dataset.walidata is not None and dataset.walidata.slug == "diskominfotik-riau"
    assert sync_dataset(dataset.id) is True  # what the search worker does after the commit
    assert [d.slug for d in search.search_datasets("tenaga kesehatan").items] == [slug]

    # The public: version 1, its file by its digest.
    versions = api("get", "/datasets/{key}/versions", 200, path=f"/datasets/{slug}/versions", token=None)
    assert [(v["version"], v["title"], v["note"]) for v in versions["data"]] == [
        (1, "Jumlah Tenaga Kesehatan menurut Puskesmas", "Rilis 2025")]
    v1 = api("get", "/datasets/{key}/versions/{number}", 200, path=f"/datasets/{slug}/versions/1", token=None)["data"]
    assert v1["metadata"]["satuan"] == "jiwa" and v1["metadata"]["walidata"] == "diskominfotik-riau"
    [file] = v1["resources"]
    assert file["sha256"] == table.sha256 and file["filename"] == "puskesmas.csv"
    assert fetch(scratch_client, _local(file["download_url"])) == (200, CSV.encode())
    resource_link = f"/dataset/{slug}/resource/{table.id}/download"
    assert fetch(scratch_client, resource_link) == (200, CSV.encode())

    # Withdrawn: a reason is required; then everything public says it is gone, and why.
    api("post", rv + "/{slug}/withdraw", 422, path=f"{rv}/{slug}/withdraw", token=walidata, json={})
    api("post", rv + "/{slug}/withdraw", 200, path=f"{rv}/{slug}/withdraw", token=walidata,
        json={"reason": "Angka Tanah Putih keliru; perbaikan menyusul."})
    page = scratch_client.get(f"/dataset/{slug}")
    assert page.status_code == 410 and "Angka Tanah Putih keliru" in page.get_data(as_text=True)
    assert "Dataset sudah ditarik" in page.get_data(as_text=True)
    for link in (resource_link, _local(file["download_url"]), f"/dataset/{slug}/resource/{table.id}"):
        status, body = fetch(scratch_client, link)
        assert status == 410 and "Angka Tanah Putih keliru" in body.decode(), link
    error = api("get", "/datasets/{key}", 410, path=f"/datasets/{slug}", token=None)["error"]
    assert error["code"] == "gone" and error["details"]["reason"] == ["Angka Tanah Putih keliru; perbaikan menyusul."]
    api("get", "/datasets/{key}/versions", 410, path=f"/datasets/{slug}/versions", token=None)
    ckan = scratch_client.get(f"/api/3/action/package_show?id={slug}")
    assert ckan.status_code == 404 and ckan.json["error"]["__type"] == "Not Found Error"
    assert slug not in [d["slug"] for d in api("get", "/datasets", 200, token=None)["data"]]
    assert [j.args for j in jobs.get_queue("search").jobs if dataset.id in j.args][-1] == (
        "satudata.search.tasks.sync_dataset", dataset.id)  # the withdrawal's signal queued the removal
    assert sync_dataset(dataset.id) is False
    assert search.search_datasets("tenaga kesehatan").total == 0

    # Published again: the same version 1 is back, and so are the links.
    api("post", rv + "/{slug}/republish", 200, path=f"{rv}/{slug}/republish", token=walidata)
    assert scratch_client.get(f"/dataset/{slug}").status_code == 200
    assert fetch(scratch_client, _local(file["download_url"])) == (200, CSV.encode())
    assert [v["version"] for v in api("get", "/datasets/{key}/versions", 200, path=f"/datasets/{slug}/versions",
                                      token=None)["data"]] == [1]

    # A revision: the producer changes the published dataset through the same calls; the public
    # keeps seeing version 1 until the walidata publishes the revision as version 2.
    revised = api("patch", ws + "/{slug}", 200, path=f"{ws}/{slug}", token=produsen,
                  json={"description": "Jumlah tenaga kesehatan per puskesmas, data akhir tahun."})
    revision = revised["data"]["slug"]
    assert revision == f"{slug}~revisi" and revised["data"]["revision_of"] == slug
    assert revised["data"]["state"] == "draft" and revised["meta"]["changed"] == ["description"]
    assert api("get", ws + "/{slug}", 200, path=f"{ws}/{slug}", token=produsen)["data"]["revision"]["slug"] == revision
    api("post", ws + "/{slug}/revision", 409, path=f"{ws}/{slug}/revision", token=produsen)  # one at a time
    fixed_csv = CSV.replace("Tanah Putih,17", "Tanah Putih,19")
    copy = api("put", "/workspace/resources/{resource_id}/file", 200, path=f"/workspace/resources/{table.id}/file",
               token=produsen, data={"file": (io.BytesIO(fixed_csv.encode()), "puskesmas-2025.csv")},
               content_type="multipart/form-data")["data"]
    assert copy["dataset"] == revision and copy["id"] != table.id  # the published table is untouched
    assert validate(db.session.get(Resource, copy["id"])) == "valid"
    assert api("get", "/datasets/{key}", 200, path=f"/datasets/{slug}", token=None)["data"]["description"] != (
        "Jumlah tenaga kesehatan per puskesmas, data akhir tahun.")
    api("post", ws + "/{slug}/submit", 200, path=f"{ws}/{slug}/submit", token=produsen, json={"note": "Revisi"})
    [queued] = api("get", "/review/queue", 200, token=walidata)["data"]
    assert (queued["slug"], queued["revision_of"]) == (revision, slug)
    mine = api("get", ws + "/{slug}", 200, path=f"{ws}/{revision}", token=walidata)["data"]
    diff = mine["revision_diff"]
    assert [c["field"] for c in diff["metadata"]] == ["description"]
    assert [(c["change"], c["published_id"]) for c in diff["resources"]] == [("changed", table.id)]
    assert any("Berkas diganti" in d for d in diff["resources"][0]["details"])
    assert diff["metadata_statistik"] == {"ms_keg": [], "ms_var": [], "ms_ind": False}  # not a statistical dataset
    api("post", rv + "/{slug}/request-changes", 200, path=f"{rv}/{slug}/request-changes", token=walidata,
        json={"field_notes": {"description": "Sebutkan tanggal datanya."}})
    assert api("get", ws + "/{slug}", 200, path=f"{ws}/{revision}", token=produsen)["data"]["field_notes"] == {
        "description": "Sebutkan tanggal datanya."}
    api("patch", ws + "/{slug}", 200, path=f"{ws}/{slug}", token=produsen,
        json={"description": "Jumlah tenaga kesehatan per puskesmas, keadaan 31 Desember 2025."})
    api("post", ws + "/{slug}/submit", 200, path=f"{ws}/{slug}/submit", token=produsen)
    after = api("post", rv + "/{slug}/publish", 200, path=f"{rv}/{slug}/publish", token=walidata,
                json={"note": "Revisi 31 Desember"})["data"]
    assert (after["slug"], after["state"], after["revision"]) == (slug, "published", None)
    assert after["description"] == "Jumlah tenaga kesehatan per puskesmas, keadaan 31 Desember 2025."
    assert [r["id"] for r in after["resources"]] == [table.id]  # the same resource, its new file
    assert fetch(scratch_client, resource_link) == (200, fixed_csv.encode())
    versions = api("get", "/datasets/{key}/versions", 200, path=f"/datasets/{slug}/versions", token=None)["data"]
    assert [(v["version"], v["note"]) for v in versions] == [(2, "Revisi 31 Desember"), (1, "Rilis 2025")]
    assert fetch(scratch_client, _local(file["download_url"])) == (200, CSV.encode())  # version 1's file
    api("get", ws + "/{slug}", 404, path=f"{ws}/{revision}", token=produsen)  # the revision is merged

    # Opened and given up: nothing public changes.
    opened = api("post", ws + "/{slug}/revision", 201, path=f"{ws}/{slug}/revision", token=produsen,
                 json={"note": "Coba"})["data"]
    assert opened["slug"] == revision and opened["revision_diff"]["changed"] is False
    kept = api("delete", ws + "/{slug}/revision", 200, path=f"{ws}/{slug}/revision", token=produsen)["data"]
    assert kept["slug"] == slug and kept["revision"] is None
    api("delete", ws + "/{slug}/revision", 409, path=f"{ws}/{slug}/revision", token=produsen)

    events = [e.action for e in db.session.scalars(select(ReviewEvent).join(Dataset).where(Dataset.slug == slug)
                                                   .order_by(ReviewEvent.id))]
    assert events == ["submit", "request_changes", "submit", "publish", "withdraw", "republish", "open_revision",
                      "submit", "request_changes", "submit", "publish_revision", "open_revision", "discard_revision"]
    made = db.session.scalars(select(AuditLog).where(AuditLog.action == "token.create",
                                                     AuditLog.actor_label == "system:cli")).all()
    assert len(made) == 3
    # Every review operation was called above and every answer matched the document.
    assert api.exercised >= REVISION_OPERATIONS
    assert {(m, p) for m, p in api.exercised if p.startswith("/review")} == {
        (op.method, op.path) for op in operations(current_app) if op.endpoint.startswith("review_api.")}


@pytest.fixture()
def submitted(app: Any, orgs: Any, users: Any, vocab: Any) -> Dataset:  # noqa: F811
    ds = make_dataset(orgs["dinkes"], publish=False, title="Jumlah Bidan",
                      topics=[db.session.scalars(select(Topic).where(Topic.slug == "kesehatan")).one()])
    return submit_dataset(ds)


def test_who_may_decide(api: Api, submitted: Dataset, tokens: Any, orgs: Any) -> None:  # noqa: F811
    path = f"/review/datasets/{submitted.slug}/publish"
    template = "/review/datasets/{slug}/publish"
    error = api("post", template, 403, path=path, token=tokens["produsen"]["write"])["error"]
    assert error["code"] == "forbidden"  # their own dataset: visible, not theirs to decide
    api("post", template, 403, path=path, token=tokens["walidata"]["read"])  # a read token
    api("post", template, 401, path=path, token=None)
    api("get", "/review/queue", 403, token=tokens["produsen"]["read"])
    dumai = accounts.create_user(SYSTEM, username="walidata.dumai", email="w@dumai.go.id", full_name="Walidata Dumai",
                                 password=PASSWORD, roles=[("walidata", orgs["other"])])
    _, secret = accounts.create_api_token(SYSTEM, dumai, "uji", "write")
    db.session.commit()
    api("post", template, 404, path=path, token=secret)  # another region's: not in their workspace
    api("post", template, 404, path="/review/datasets/tidak-ada/publish", token=tokens["walidata"]["write"])
    assert _dataset(submitted.slug).state == "submitted"


def test_refused_moves_and_bad_bodies(api: Api, submitted: Dataset, tokens: Any) -> None:  # noqa: F811
    token = tokens["walidata"]["write"]
    base = f"/review/datasets/{submitted.slug}"
    error = api("post", "/review/datasets/{slug}/withdraw", 409, path=base + "/withdraw", token=token,
                json={"reason": "Belum terbit"})["error"]
    assert error["code"] == "conflict" and 'berstatus "Diajukan"' in error["message"]
    api("post", "/review/datasets/{slug}/republish", 409, path=base + "/republish", token=token)
    changes = "/review/datasets/{slug}/request-changes"
    details = api("post", changes, 422, path=base + "/request-changes", token=token,
                  json={"field_notes": {"warna": "Tidak ada kolom ini"}})["error"]["details"]
    assert "warna" in details["field_notes"][0]
    details = api("post", changes, 422, path=base + "/request-changes", token=token, json={})["error"]["details"]
    assert "message" in details
    api("post", changes, 422, path=base + "/request-changes", token=token, json={"field_notes": ["satuan"]})
    api("post", changes, 422, path=base + "/request-changes", token=token, json={"message": "x", "kolom": 1})
    api("post", "/review/datasets/{slug}/publish", 422, path=base + "/publish", token=token, data="bukan json",
        content_type="application/json")
    api("post", "/review/datasets/{slug}/publish", 422, path=base + "/publish", token=token,
        json={"expected_event_id": "kemarin"})
    # A page opened before the producer took it back and submitted it again.
    seen = api("get", "/review/queue", 200, token=token)["data"][0]["last_event_id"]
    retract = f"/workspace/datasets/{submitted.slug}"
    api("post", "/workspace/datasets/{slug}/retract", 200, path=retract + "/retract", token=tokens["produsen"]["write"])
    api("post", "/workspace/datasets/{slug}/submit", 200, path=retract + "/submit", token=tokens["produsen"]["write"])
    error = api("post", "/review/datasets/{slug}/publish", 409, path=base + "/publish", token=token,
                json={"expected_event_id": seen})["error"]
    assert "sudah berubah sejak halaman Anda dimuat" in error["message"]
    assert _dataset(submitted.slug).state == "submitted"
    assert db.session.scalar(select(DatasetVersion.id)) is None


def test_two_walidata_publish_at_once_one_wins(app: Any, submitted: Dataset, tokens: Any) -> None:  # noqa: F811
    """Two real requests released together on a threaded server: one 200, one clear 409, one
    version, one publish event."""
    db.session.commit()  # nothing left open in this test's session
    url_path = f"/api/v1/review/datasets/{submitted.slug}/publish"
    gate = threading.Barrier(2, timeout=30)
    answers: list[tuple[int, dict[str, Any]]] = []

    def publish(base: str) -> None:
        gate.wait()
        resp = requests.post(base + url_path, headers=bearer(tokens["walidata"]["write"]), json={}, timeout=60)
        answers.append((resp.status_code, resp.json()))

    for base in serve_live(app, "review-race"):
        threads = [threading.Thread(target=publish, args=(base,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=90)
    assert sorted(status for status, _ in answers) == [200, 409], answers
    loser = next(body for status, body in answers if status == 409)
    assert loser["error"]["code"] == "conflict" and 'berstatus "Terbit"' in loser["error"]["message"]
    ds = _dataset(submitted.slug)
    assert ds.state == "published" and [v.number for v in ds.versions] == [1]
    publishes = db.session.scalars(select(ReviewEvent).where(ReviewEvent.dataset_id == ds.id,
                                                             ReviewEvent.action == "publish")).all()
    assert len(publishes) == 1
