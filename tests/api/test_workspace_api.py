"""The producer's workspace over the REST API (/api/v1/workspace): the whole flow with a real
validation worker, bad input, tokens and scopes, other OPDs; every response is checked against
the OpenAPI document."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import current_app
from sqlalchemy import func, select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog
from satudata.api.openapi import operations
from satudata.catalog.models import Dataset, DatasetState, Resource, ResourceRevision
from satudata.extensions import db
from satudata.review.models import ReviewEvent
from satudata.validation.models import ValidationRun
from tests.accounts.conftest import PASSWORD, bearer, orgs, tokens, users  # noqa: F401  (fixtures)
from tests.api.test_rest_openapi import _response_schema_ref, _validator
from tests.conftest import run_worker
from tests.factories import SYSTEM
from tests.workspace.conftest import COMPLETE, vocab  # noqa: F401  (fixture)

API = "/api/v1/workspace"
METADATA = {**COMPLETE, "tags": ["nakes", "puskesmas"], "year": 2025}
HEADER = "kode_wilayah,nama_wilayah,tahun,jenis_tenaga,jumlah\n"
# Against the library's tenaga_kesehatan standard: a negative count (row 2), a count that is
# not a number (row 3), a kind of health worker that is not on the list (row 4).
BAD = HEADER + ("14.07,Rokan Hilir,2025,Dokter Umum,-3\n"
                "14.07,Rokan Hilir,2025,Perawat,banyak\n"
                "14.71,Pekanbaru,2025,Dukun,5\n")
GOOD = HEADER + ("14.07,Rokan Hilir,2025,Dokter Umum,41\n"
                 "14.07,Rokan Hilir,2025,Perawat,388\n"
                 "14.71,Pekanbaru,2025,Bidan,512\n")


@pytest.fixture()
def document(scratch_client: Any) -> dict[str, Any]:
    resp = scratch_client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return dict(resp.json)


REVISION_OPERATIONS = {("post", "/workspace/datasets/{slug}/revision"),
                       ("delete", "/workspace/datasets/{slug}/revision")}


class Api:
    """Calls the workspace API with a token and checks each answer against the OpenAPI
    document (no undocumented field allowed); remembers which operations it exercised."""

    def __init__(self, client: Any, document: dict[str, Any], request: Any) -> None:
        self.client, self.document = client, document
        # The accounts fixtures (a user per role, their tokens), fetched here so that no test
        # parameter shadows the imported fixture functions.
        request.getfixturevalue("vocab")
        self.orgs: dict[str, Any] = request.getfixturevalue("orgs")
        self.users: dict[str, Any] = request.getfixturevalue("users")
        self.tokens: dict[str, dict[str, str]] = request.getfixturevalue("tokens")
        self.token: str | None = self.tokens["produsen"]["write"]
        self.exercised: set[tuple[str, str]] = set()

    def __call__(self, method: str, template: str, status: int, *, path: str | None = None,
                 query: str = "", token: str | None = "default", **kwargs: Any) -> Any:
        token = self.token if token == "default" else token
        headers = bearer(token) if token else {}
        url = "/api/v1" + (path or template) + query
        resp = self.client.open(url, method=method.upper(), headers=headers, **kwargs)
        assert resp.status_code == status, (method, url, resp.get_data(as_text=True)[:1500])
        assert resp.mimetype == "application/json"
        ref = _response_schema_ref(self.document, "/api/v1" + template, str(status), method.lower())
        errors = sorted(_validator(self.document, ref).iter_errors(resp.json), key=str)
        assert not errors, f"{method} {url}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}"
                                                           for e in errors[:5])
        self.exercised.add((method.lower(), template))
        return resp.json


def _file(content: str | bytes, filename: str = "nakes.csv", **form: Any) -> dict[str, Any]:
    body = content.encode() if isinstance(content, str) else content
    return {"data": {"file": (io.BytesIO(body), filename), **form}, "content_type": "multipart/form-data"}


@pytest.fixture()
def api(scratch_client: Any, document: dict[str, Any], request: Any) -> Api:
    return Api(scratch_client, document, request)


def _create(api: Api, **overrides: Any) -> dict[str, Any]:
    return api("post", "/workspace/datasets", 201, json={**METADATA, **overrides})["data"]


def _resources_of(slug: str) -> list[Resource]:
    ds = db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one()
    return list(db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)))


def _worker(app: Any) -> None:
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()


# --------------------------------------------------------------------------- the whole flow


@pytest.mark.jobs
def test_full_flow_by_api(app: Any, api: Api, queue: Any) -> None:
    ds = _create(api)
    slug = ds["slug"]
    assert ds["state"] == "draft" and ds["organization"]["slug"] == "dinkes-riau"
    assert ds["completeness"]["missing_required"] == [] and ds["ready"] is False
    assert ds["problems"] == ["Belum ada sumber data: unggah minimal satu tabel atau dokumen."]
    assert ds["tags"] == ["nakes", "puskesmas"] and ds["topics"] == ["kesehatan"] and ds["year"] == 2025
    listed = api("get", "/workspace/datasets", 200, query="?state=draft")
    assert [d["slug"] for d in listed["data"]] == [slug]
    assert listed["meta"] == {"total": 1, "counts": {"draft": 1, "submitted": 0, "changes_requested": 0,
                                                     "published": 0, "withdrawn": 0}}
    assert api("get", "/workspace/datasets", 200, query="?state=submitted")["data"] == []

    # A table that breaks the library's standard.
    res = api("post", "/workspace/datasets/{slug}/resources", 201, path=f"/workspace/datasets/{slug}/resources",
              **_file(BAD, name="Tenaga kesehatan 2025", schema="tenaga_kesehatan"))["data"]
    rid = res["id"]
    assert res["validation_status"] == "pending" and res["schema_ref"] == "tenaga_kesehatan@1"
    assert res["table_schema"]["primaryKey"] == ["kode_wilayah", "tahun", "jenis_tenaga"]
    assert res["progress"]["state"] == "queued" and res["progress"]["finished"] is False
    assert res["name"] == "Tenaga kesehatan 2025" and res["filename"] == "nakes.csv"
    assert res["row_count"] is None  # counted by the validation job, not in the upload request (issue #16)
    validation_path = f"/workspace/resources/{rid}/validation"
    pending = api("get", "/workspace/resources/{resource_id}/validation", 200, path=validation_path)["data"]
    assert pending["status"] == "pending" and pending["summary"] is None and pending["report"] is None

    _worker(app)
    result = api("get", "/workspace/resources/{resource_id}/validation", 200, path=validation_path)["data"]
    assert result["status"] == "invalid" and result["report"] is None
    assert result["progress"]["finished"] is True and result["progress"]["percent"] == 100
    assert result["progress"]["rows"] == 3 and result["progress"]["errors"] == 3
    summary = result["summary"]
    assert summary["valid"] is False and summary["total"] == 3
    assert {t["type"]: t["count"] for t in summary["by_type"]} == {"constraint-error": 2, "type-error": 1}
    groups = {(g["type"], g["field"]): g for g in summary["groups"]}
    assert groups[("type-error", "jumlah")]["rows"] == [3] and groups[("type-error", "jumlah")]["values"] == ["banyak"]
    assert groups[("constraint-error", "jumlah")]["rows"] == [2]
    assert groups[("constraint-error", "jenis_tenaga")]["values"] == ["Dukun"]
    assert all(g["masalah"] and g["perbaikan"] for g in summary["groups"])
    full = api("get", "/workspace/resources/{resource_id}/validation", 200, path=validation_path,
               query="?full=1")["data"]
    assert full["report"]["valid"] is False and full["report"]["tasks"][0]["place"] == "nakes.csv"

    # Submitting is refused while the table is invalid, and says why.
    refused = api("post", "/workspace/datasets/{slug}/submit", 422, path=f"/workspace/datasets/{slug}/submit")
    assert any("belum lolos validasi" in p for p in refused["error"]["details"]["dataset"])
    assert db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one().state == DatasetState.DRAFT

    # Re-upload the corrected file; the old one goes to the history.
    replaced = api("put", "/workspace/resources/{resource_id}/file", 200, path=f"/workspace/resources/{rid}/file",
                   **_file(GOOD, "nakes-perbaikan.csv"))["data"]
    assert replaced["validation_status"] == "pending" and replaced["filename"] == "nakes-perbaikan.csv"
    assert replaced["revision_count"] == 1 and replaced["schema_ref"] == "tenaga_kesehatan@1"
    _worker(app)
    valid = api("get", "/workspace/resources/{resource_id}", 200, path=f"/workspace/resources/{rid}")["data"]
    assert valid["validation_status"] == "valid" and valid["progress"]["state"] == "valid"
    assert valid["row_count"] == 3
    revs = db.session.scalars(select(ResourceRevision).where(ResourceRevision.resource_id == rid)).all()
    assert [(r.number, r.filename, r.validation_status) for r in revs] == [(1, "nakes.csv", "invalid")]

    # The same standard again changes nothing; validating again queues a new run.
    same = api("put", "/workspace/resources/{resource_id}/schema", 200, path=f"/workspace/resources/{rid}/schema",
               json={"schema": "tenaga_kesehatan@1"})["data"]
    assert same["validation_status"] == "valid"
    again = api("post", "/workspace/resources/{resource_id}/validate", 202,
                path=f"/workspace/resources/{rid}/validate")["data"]
    assert again["validation_status"] == "pending" and again["progress"]["state"] == "queued"
    _worker(app)
    assert api("get", "/workspace/resources/{resource_id}/validation", 200,
               path=validation_path)["data"]["summary"]["valid"] is True

    # A document link, renamed, then removed.
    link = api("post", "/workspace/datasets/{slug}/resources", 201, path=f"/workspace/datasets/{slug}/resources",
               json={"url": "https://dinkes.riau.go.id/profil-2025.pdf", "name": "Profil"})["data"]
    assert link["format"] == "PDF" and link["validation_status"] == "unvalidated" and link["progress"] is None
    renamed = api("patch", "/workspace/resources/{resource_id}", 200, path=f"/workspace/resources/{link['id']}",
                  json={"name": "Profil Kesehatan 2025"})["data"]
    assert renamed["name"] == "Profil Kesehatan 2025" and renamed["url"].endswith(".pdf")
    after = api("delete", "/workspace/resources/{resource_id}", 200, path=f"/workspace/resources/{link['id']}")
    assert [r["id"] for r in after["data"]["resources"]] == [rid]

    # Metadata: only what is sent changes.
    patched = api("patch", "/workspace/datasets/{slug}", 200, path=f"/workspace/datasets/{slug}",
                  json={"period": "2025", "tags": ["nakes"]})
    assert sorted(patched["meta"]["changed"]) == ["period", "tags"]
    assert patched["data"]["tags"] == ["nakes"] and patched["data"]["satuan"] == "orang"

    # Ready: submit, retract, submit again.
    detail = api("get", "/workspace/datasets/{slug}", 200, path=f"/workspace/datasets/{slug}")["data"]
    assert detail["ready"] is True and detail["problems"] == [] and detail["events"] == []
    submitted = api("post", "/workspace/datasets/{slug}/submit", 200, path=f"/workspace/datasets/{slug}/submit",
                    json={"note": "Mohon diperiksa"})["data"]
    assert submitted["state"] == "submitted" and submitted["ready"] is False
    assert submitted["events"][0]["action"] == "submit" and submitted["events"][0]["note"] == "Mohon diperiksa"
    assert submitted["events"][0]["actor"] == "user:produsen"
    locked = api("patch", "/workspace/datasets/{slug}", 409, path=f"/workspace/datasets/{slug}",
                 json={"period": "2024"})
    assert "diperiksa walidata" in locked["error"]["message"]
    retracted = api("post", "/workspace/datasets/{slug}/retract", 200, path=f"/workspace/datasets/{slug}/retract")
    assert retracted["data"]["state"] == "draft"
    api("post", "/workspace/datasets/{slug}/submit", 200, path=f"/workspace/datasets/{slug}/submit")

    final = db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one()
    db.session.refresh(final)
    assert final.state == DatasetState.SUBMITTED and final.period == "2025"
    events = db.session.scalars(select(ReviewEvent).where(ReviewEvent.dataset_id == final.id)
                                .order_by(ReviewEvent.id)).all()
    assert [e.action for e in events] == ["submit", "retract", "submit"]
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.actor_label == "user:produsen")))
    assert {"dataset.create", "resource.create", "resource.replace", "resource.revalidate", "resource.update",
            "resource.delete", "dataset.update", "dataset.submit", "dataset.retract"} <= actions
    # Every workspace operation was called above, and every answer matched the document (a
    # published dataset's revision: tests/review/test_review_api.py, the whole lifecycle).
    assert api.exercised | REVISION_OPERATIONS == {(op.method, op.path) for op in operations(current_app)
                                                   if op.endpoint.startswith("workspace_api.")}


# --------------------------------------------------------------------------- tokens and who may


def test_no_token_is_401_and_read_token_cannot_write(api: Api) -> None:
    secrets = api.tokens
    resp = api("get", "/workspace/datasets", 401, token=None)
    assert "Authorization: Bearer" in resp["error"]["message"]
    api("post", "/workspace/datasets", 401, token=None, json=METADATA)
    resp = api("post", "/workspace/datasets", 403, token=secrets["produsen"]["read"], json=METADATA)
    assert "read" in resp["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert denied and denied[-1].actor_label == "user:produsen"
    # A read token reads.
    slug = _create(api)["slug"]
    read = api("get", "/workspace/datasets/{slug}", 200, path=f"/workspace/datasets/{slug}",
               token=secrets["produsen"]["read"])
    assert read["data"]["slug"] == slug
    api("post", "/workspace/datasets/{slug}/submit", 403, path=f"/workspace/datasets/{slug}/submit",
        token=secrets["produsen"]["read"])


def test_session_cookie_never_authorises_a_write(api: Api) -> None:
    scratch_client = api.client
    with scratch_client.session_transaction() as sess:
        sess["_user_id"] = api.users["produsen"].get_id()  # a valid session
        sess["_fresh"] = True
    resp = scratch_client.post(f"{API}/datasets", json=METADATA)
    assert resp.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0


def test_another_opds_dataset_is_not_found(api: Api) -> None:
    slug = _create(api)["slug"]
    rid = api("post", "/workspace/datasets/{slug}/resources", 201, path=f"/workspace/datasets/{slug}/resources",
              json={"url": "https://dinkes.riau.go.id/profil.pdf", "name": "Profil"})["data"]["id"]
    dumai = accounts.create_user(SYSTEM, username="produsen.dumai", email="data@dumaikota.go.id",
                                 full_name="Produsen Dumai", password=PASSWORD, roles=[("produsen", api.orgs["other"])])
    _, secret = accounts.create_api_token(dumai, dumai, "dumai", "write")
    db.session.commit()
    assert api("get", "/workspace/datasets", 200, token=secret)["data"] == []
    api("get", "/workspace/datasets/{slug}", 404, path=f"/workspace/datasets/{slug}", token=secret)
    api("patch", "/workspace/datasets/{slug}", 404, path=f"/workspace/datasets/{slug}", token=secret,
        json={"period": "2020"})
    api("post", "/workspace/datasets/{slug}/submit", 404, path=f"/workspace/datasets/{slug}/submit", token=secret)
    api("post", "/workspace/datasets/{slug}/resources", 404, path=f"/workspace/datasets/{slug}/resources",
        token=secret, **_file(GOOD))
    for method, suffix in (("get", ""), ("patch", ""), ("delete", ""), ("get", "/validation"),
                           ("post", "/validate")):
        resp = api(method, "/workspace/resources/{resource_id}" + suffix, 404,
                   path=f"/workspace/resources/{rid}{suffix}", token=secret,
                   **({"json": {"name": "x"}} if method == "patch" else {}))
        assert slug not in resp["error"]["message"]  # the other OPD's slug is not echoed
    ds = db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one()
    assert ds.period is None and [r.name for r in ds.resources] == ["Profil"]
    # The owner still sees and changes it.
    api("get", "/workspace/resources/{resource_id}", 200, path=f"/workspace/resources/{rid}")


def test_walidata_reads_but_cannot_edit_and_non_producers_cannot_create(api: Api) -> None:
    secrets = api.tokens
    slug = _create(api)["slug"]
    walidata = secrets["walidata"]["write"]
    assert api("get", "/workspace/datasets/{slug}", 200, path=f"/workspace/datasets/{slug}",
               token=walidata)["data"]["slug"] == slug
    api("patch", "/workspace/datasets/{slug}", 403, path=f"/workspace/datasets/{slug}", token=walidata,
        json={"period": "2020"})
    # Same OPD, but not a producer: the draft does not exist for them, and they cannot create.
    ppid = secrets["ppid_pelaksana"]["write"]
    api("get", "/workspace/datasets/{slug}", 404, path=f"/workspace/datasets/{slug}", token=ppid)
    resp = api("post", "/workspace/datasets", 403, token=ppid, json=METADATA)
    assert "produsen" in resp["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 1


def test_producer_of_several_opds_names_the_organization(api: Api) -> None:
    accounts.assign_role(SYSTEM, api.users["produsen"], "produsen", api.orgs["other"])
    db.session.commit()
    resp = api("post", "/workspace/datasets", 422, json=METADATA)
    assert set(resp["error"]["details"]) == {"organization"}
    assert "dinkes-riau" in resp["error"]["details"]["organization"][0]
    made = _create(api, organization="pemkot-dumai")
    assert made["organization"]["slug"] == "pemkot-dumai"
    api("post", "/workspace/datasets", 403, json={**METADATA, "organization": "diskominfotik-riau"})
    resp = api("post", "/workspace/datasets", 422, json={**METADATA, "organization": "tidak-ada"})
    assert "organization" in resp["error"]["details"]
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 1


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("kwargs", "expect"), [
    ({"data": "{bukan json", "content_type": "application/json"}, "objek JSON"),
    ({"json": ["bukan", "objek"]}, "objek JSON"),
    ({"data": "title=Judul", "content_type": "application/x-www-form-urlencoded"}, "objek JSON"),
])
def test_create_refuses_a_body_that_is_not_a_json_object(api: Api, kwargs: dict[str, Any], expect: str) -> None:
    resp = api("post", "/workspace/datasets", 422, **kwargs)
    assert resp["error"]["code"] == "invalid" and expect in resp["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0


def test_create_reports_field_errors_in_indonesian(api: Api) -> None:
    resp = api("post", "/workspace/datasets", 422, json={**METADATA, "year": "dua ribu", "contact_email": "x",
                                                         "titel": "salah ketik", "frequency": "kadang"})
    details = resp["error"]["details"]
    assert details["year"] == ["Tahun harus angka, misalnya 2025."]
    assert "Alamat email tidak valid" in details["contact_email"][0]
    assert details["titel"] == ["Kolom tidak dikenal."]
    assert details["frequency"] == ["Pilih salah satu dari daftar."]
    resp = api("post", "/workspace/datasets", 422, json={"description": "tanpa judul"})
    assert resp["error"]["details"]["title"] == ["Wajib diisi."]
    # Rules the service checks: topics, licence and kode wilayah must exist.
    resp = api("post", "/workspace/datasets", 422, json={**METADATA, "kode_wilayah": "99.99"})
    assert "kode_wilayah" in resp["error"]["details"]
    resp = api("post", "/workspace/datasets", 422, json={**METADATA, "topics": ["astrologi"]})
    assert "astrologi" in resp["error"]["details"]["topics"][0]
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0


def test_patch_validates_the_merged_form_and_changes_nothing_on_error(api: Api) -> None:
    slug = _create(api)["slug"]
    path = f"/workspace/datasets/{slug}"
    resp = api("patch", "/workspace/datasets/{slug}", 422, path=path, json={"title": None, "satuan": "jiwa"})
    assert resp["error"]["details"] == {"title": ["Wajib diisi."]}
    api("patch", "/workspace/datasets/{slug}", 422, path=path, json={"organization": "pemkot-dumai"})
    api("patch", "/workspace/datasets/{slug}", 422, path=path, data="[", content_type="application/json")
    ds = db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one()
    db.session.refresh(ds)
    assert ds.satuan == "orang"
    nothing = api("patch", "/workspace/datasets/{slug}", 200, path=path, json={})
    assert nothing["meta"]["changed"] == []
    cleared = api("patch", "/workspace/datasets/{slug}", 200, path=path, json={"satuan": None})
    assert cleared["meta"]["changed"] == ["satuan"] and cleared["data"]["satuan"] is None
    assert "Metadata wajib belum diisi: Satuan." in cleared["data"]["problems"]


@pytest.mark.parametrize(("query", "field"), [
    ("?state=arsip", "state"), ("?state=", "state"), ("?state=draft&state=submitted", "state"),
])
def test_unknown_state_filter(api: Api, query: str, field: str) -> None:
    resp = api("get", "/workspace/datasets", 422, query=query)
    assert field in resp["error"]["details"]


def test_upload_bad_input(app: Any, api: Api) -> None:
    slug = _create(api)["slug"]
    path = f"/workspace/datasets/{slug}/resources"
    template = "/workspace/datasets/{slug}/resources"
    # No file, an empty file name, neither multipart nor JSON.
    resp = api("post", template, 422, path=path, data={"name": "Tanpa berkas"}, content_type="multipart/form-data")
    assert resp["error"]["details"]["file"] == ["Pilih berkas."]
    api("post", template, 422, path=path, **_file(GOOD, filename=""))
    resp = api("post", template, 422, path=path, data=GOOD, content_type="text/csv")
    assert "multipart/form-data" in resp["error"]["message"]
    # Standards that do not exist, or are not written as a name.
    for choice in ("tidak_ada", "tenaga_kesehatan@99", "Tenaga Kesehatan!"):
        resp = api("post", template, 422, path=path, **_file(GOOD, schema=choice))
        assert list(resp["error"]["details"]) == ["schema"], choice
    # Files that cannot be read as the table they claim to be.
    resp = api("post", template, 422, path=path, **_file(b"", "kosong.csv"))
    assert "Berkas kosong" in str(resp["error"])
    resp = api("post", template, 422, path=path, **_file(b"PK\x03\x04rusak", "rusak.xlsx"))
    assert "bukan XLSX" in str(resp["error"])
    # A name longer than the column holds.
    resp = api("post", template, 422, path=path, **_file(GOOD, name="x" * 301))
    assert "name" in resp["error"]["details"]
    # Tables are uploaded, not linked; links need a name and a web address.
    resp = api("post", template, 422, path=path, json={"url": "https://dinkes.riau.go.id/data.csv", "name": "T"})
    assert "harus diunggah" in str(resp["error"]["details"]["url"])
    resp = api("post", template, 422, path=path, json={"url": "ftp://x", "name": "Dokumen"})
    assert "url" in resp["error"]["details"]
    resp = api("post", template, 422, path=path, json={"url": "https://x.go.id/a.pdf"})
    assert resp["error"]["details"]["name"] == ["Wajib diisi."]
    assert _resources_of(slug) == []
    assert db.session.scalar(select(func.count()).select_from(ValidationRun)) == 0


def test_oversized_uploads_are_refused(app: Any, api: Api) -> None:
    slug = _create(api)["slug"]
    path = f"/workspace/datasets/{slug}/resources"
    template = "/workspace/datasets/{slug}/resources"
    limits = (app.config["UPLOAD_MAX_BYTES"], app.config["MAX_CONTENT_LENGTH"])
    try:
        app.config["UPLOAD_MAX_BYTES"] = 100  # the service's limit on the stored file
        resp = api("post", template, 422, path=path, **_file(GOOD * 10))
        assert "melebihi batas" in resp["error"]["message"]
        app.config["MAX_CONTENT_LENGTH"] = 200  # the whole request, before anything is read
        resp = api("post", template, 413, path=path, **_file(GOOD * 10))
        assert resp["error"]["code"] == "request_entity_too_large"
    finally:
        app.config["UPLOAD_MAX_BYTES"], app.config["MAX_CONTENT_LENGTH"] = limits
    assert _resources_of(slug) == []


def test_replace_and_schema_bad_input(api: Api) -> None:
    slug = _create(api)["slug"]
    res = api("post", "/workspace/datasets/{slug}/resources", 201, path=f"/workspace/datasets/{slug}/resources",
              **_file(GOOD))["data"]
    rid, sha = res["id"], res["sha256"]
    file_path, schema_path = f"/workspace/resources/{rid}/file", f"/workspace/resources/{rid}/schema"
    resp = api("put", "/workspace/resources/{resource_id}/file", 422, path=file_path, json={"file": "x"})
    assert "multipart/form-data" in resp["error"]["message"]
    resp = api("put", "/workspace/resources/{resource_id}/file", 422, path=file_path,
               **_file(HEADER, "baru.csv"))
    assert "baris judul" in str(resp["error"])
    resp = api("put", "/workspace/resources/{resource_id}/file", 422, path=file_path,
               **_file(b"%PDF-1.4", "laporan.pdf"))
    assert "Jenis berkas" in resp["error"]["message"]
    # The Table Schema: exactly one of the two, a known standard, a valid descriptor.
    for body in ({}, {"schema": "sekolah", "table_schema": {"fields": []}}):
        resp = api("put", "/workspace/resources/{resource_id}/schema", 422, path=schema_path, json=body)
        assert "schema" in resp["error"]["details"]
    resp = api("put", "/workspace/resources/{resource_id}/schema", 422, path=schema_path,
               json={"schema": "tidak_ada"})
    assert "tidak_ada" in resp["error"]["details"]["schema"][0]
    resp = api("put", "/workspace/resources/{resource_id}/schema", 422, path=schema_path,
               json={"table_schema": {"fields": [{"name": "a", "type": "bukan-jenis"}]}})
    assert "table_schema" in resp["error"]["details"]
    resp = api("put", "/workspace/resources/{resource_id}/schema", 422, path=schema_path,
               json={"table_schema": "bukan objek"})
    assert resp["error"]["details"]["table_schema"] == ["Harus berupa objek JSON."]
    db.session.expire_all()
    current = db.session.get(Resource, rid)
    assert current.sha256 == sha and current.schema_ref is None and not current.revisions
    # A descriptor that is fine is attached (here the one the validation job would infer).
    from satudata.catalog.storage import get_store
    from satudata.validation.services import infer_schema

    descriptor = infer_schema(get_store().path(sha), "csv")
    descriptor["fields"][-1]["constraints"] = {"minimum": 0}
    res = api("put", "/workspace/resources/{resource_id}/schema", 200, path=schema_path,
              json={"table_schema": descriptor})["data"]
    assert res["table_schema"]["fields"][-1]["constraints"] == {"minimum": 0}
    assert res["validation_status"] == "pending" and res["schema_ref"] is None


def test_validation_args_links_and_bad_keys(api: Api) -> None:
    slug = _create(api)["slug"]
    link = api("post", "/workspace/datasets/{slug}/resources", 201, path=f"/workspace/datasets/{slug}/resources",
               json={"url": "https://dinkes.riau.go.id/profil.pdf", "name": "Profil"})["data"]
    resp = api("get", "/workspace/resources/{resource_id}/validation", 422,
               path=f"/workspace/resources/{link['id']}/validation", query="?full=mungkin")
    assert "full" in resp["error"]["details"]
    none = api("get", "/workspace/resources/{resource_id}/validation", 200,
               path=f"/workspace/resources/{link['id']}/validation")["data"]
    assert none == {"resource": link["id"], "status": "unvalidated", "schema_ref": None, "progress": None,
                    "summary": None, "report": None}
    resp = api("post", "/workspace/resources/{resource_id}/validate", 422,
               path=f"/workspace/resources/{link['id']}/validate")
    assert "tabel" in resp["error"]["message"]
    resp = api("put", "/workspace/resources/{resource_id}/schema", 422,
               path=f"/workspace/resources/{link['id']}/schema", json={"schema": "tenaga_kesehatan"})
    assert "hanya untuk tabel" in resp["error"]["message"]
    for key in ("tidak-ada", "x" * 400, "a\x00b"):
        api("get", "/workspace/resources/{resource_id}", 404, path=f"/workspace/resources/{key}")
        api("get", "/workspace/datasets/{slug}", 404, path=f"/workspace/datasets/{key}")
    resp = api("post", "/workspace/datasets/{slug}/submit", 422, path=f"/workspace/datasets/{slug}/submit",
               json={"note": "x" * 2001})
    assert "note" in resp["error"]["details"]
    resp = api("patch", "/workspace/resources/{resource_id}", 422, path=f"/workspace/resources/{link['id']}",
               json={"name": " "})
    assert "name" in resp["error"]["details"]
    resp = api("post", "/workspace/datasets/{slug}/retract", 409, path=f"/workspace/datasets/{slug}/retract")
    assert "Draf" in resp["error"]["message"]
