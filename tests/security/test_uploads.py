"""Issue #16, the upload findings of the outside security test.

- Silent data loss: a refused twin upload deleted the content-addressed file an accepted one
  was about to commit.
- Parallel re-uploads of one resource ended in 500s (UNIQUE resource_revision.number), and the
  web route's error page itself failed.
- Uploads of 10k-20k columns spent a minute inside the web request (Table Schema inference and
  the column summary) holding SQLite's write lock.
- Deeply nested JSON: RecursionError (500) and an orphan file.
- A UTF-16 CSV (Excel's "Unicode Text") was called "binary, maybe PDF".
- Long file names lost their extension.

Requests go through the real app (the test client, or a real HTTP server with threads), jobs
through a real worker.
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from satudata import jobs
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetVersion, Resource, ResourceRevision
from satudata.catalog.storage import get_store
from satudata.extensions import db
from tests.accounts.conftest import PASSWORD, bearer
from tests.conftest import run_worker, serve_live
from tests.workspace.conftest import sign_in

GOOD = "puskesmas,dokter,perawat\nBagan Siapiapi,4,20\nBangko,1,7\nKubu,2,3\n"
API = "/api/v1/workspace"


@pytest.fixture()
def draft(users: dict[str, Any], orgs: dict[str, Any]) -> Dataset:
    dataset = catalog.create_workspace_dataset(users["produsen"], orgs["dinkes"],
                                               {"title": "Tenaga Kesehatan per Puskesmas"})
    db.session.commit()
    return dataset


def _post_file(client: Any, slug: str, secret: str, content: bytes, filename: str) -> Any:
    return client.post(f"{API}/datasets/{slug}/resources", headers=bearer(secret),
                       data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def _stored_files(app: Flask) -> set[str]:
    root = Path(app.config["STORAGE_PATH"])
    return {p.name for p in root.glob("??/??/*") if p.is_file()}


def _sha(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()


# --------------------------------------------------------------------------- finding 1


class _PauseAtCommit:
    """Holds the upload request of one thread just before it commits (the moment the refused
    twin used to delete the file), until released. SQLAlchemy's own event, not a mock."""

    def __init__(self, thread_name: str) -> None:
        self.thread_name = thread_name
        self.reached = threading.Event()
        self.release = threading.Event()

    def __call__(self, session: Session) -> None:
        if threading.current_thread().name != self.thread_name or self.reached.is_set():
            return
        if any(isinstance(obj, Resource) for obj in session.identity_map.values()):
            self.reached.set()
            self.release.wait(timeout=60)


def test_refused_twin_upload_does_not_delete_the_accepted_file(app: Flask, scratch_client: Any, draft: Dataset,
                                                               tokens: Any, queue: Any) -> None:
    """Finding: the same bytes uploaded at once as t.csv (accepted) and t.xlsx (refused): the
    refusal deleted the shared content-addressed file; the accepted resource then read as empty
    and its download was a 404."""
    secret, slug = tokens["produsen"]["write"], draft.slug
    content = GOOD.encode()
    pause = _PauseAtCommit("upload-csv")
    event.listen(Session, "before_commit", pause)
    results: dict[str, Any] = {}

    def accepted() -> None:
        # A plain client: this thread has no app context of its own until the request opens one.
        resp = _post_file(FlaskClient(app, app.response_class), slug, secret, content, "t.csv")
        results["csv"] = (resp.status_code, resp.get_json())

    thread = threading.Thread(target=accepted, name="upload-csv")
    try:
        thread.start()
        assert pause.reached.wait(timeout=60), "the csv upload never reached its commit"
        refused = _post_file(scratch_client, slug, secret, content, "t.xlsx")
        assert refused.status_code == 422, refused.get_data(as_text=True)
    finally:
        pause.release.set()
        thread.join(timeout=60)
        event.remove(Session, "before_commit", pause)
    status, body = results["csv"]
    assert status == 201, body
    resource_id = body["data"]["id"]
    assert get_store().exists(_sha(content)), "the accepted resource's file was deleted"
    sign_in(scratch_client, "produsen")
    download = scratch_client.get(f"/kelola/dataset/{slug}/sumber/{resource_id}/unduh")
    assert download.status_code == 200 and download.data == content
    download.close()


def test_sweep_removes_only_old_unreferenced_files(app: Flask, draft: Dataset, users: Any) -> None:
    """Finding (the fix's other half): refused or abandoned uploads are no longer deleted at
    once; a periodic sweep removes files no row refers to, once they are older than
    STORAGE_SWEEP_GRACE."""
    from satudata.catalog import storage

    store = get_store()
    old = time.time() - app.config["STORAGE_SWEEP_GRACE"] - 3600

    def stored(text: str, *, aged: bool = True) -> str:
        sha = store.put_bytes(text.encode()).sha256
        if aged:
            os.utime(store.path(sha), (old, old))
        return sha

    current, earlier, published, run_only = (stored(f"a,b\n{i},2\n") for i in range(4))
    orphan, fresh, reuploaded = stored("a,b\n9,9\n"), stored("a,b\n8,8\n", aged=False), stored("a,b\n7,7\n")
    resource = Resource(dataset=draft, name="t", format="CSV", sha256=current, filename="t.csv")
    db.session.add(resource)
    db.session.flush()
    from satudata.db import utcnow
    from satudata.validation.models import ValidationRun

    db.session.add(ResourceRevision(resource=resource, number=1, sha256=earlier, validation_status="valid",
                                    uploaded_at=utcnow()))
    db.session.add(ValidationRun(resource_id=resource.id, sha256=run_only, schema_fingerprint="x"))
    db.session.add(DatasetVersion(dataset=draft, number=1, snapshot={"resources": [{"sha256": published}]}))
    db.session.commit()
    store.put_bytes(b"a,b\n7,7\n")  # the same bytes uploaded again: the copy is fresh once more
    tmp = Path(app.config["STORAGE_PATH"]) / "tmp"
    (tmp / "abandoned").write_bytes(b"half an upload")
    os.utime(tmp / "abandoned", (old, old))

    assert "satudata.catalog.storage.sweep_files" in [name for name, _, _ in jobs.PERIODIC]
    removed = storage.sweep_files()
    assert removed == 1
    files = _stored_files(app)
    assert orphan not in files
    assert {current, earlier, published, run_only, fresh, reuploaded} <= files
    assert not (tmp / "abandoned").exists()


# --------------------------------------------------------------------------- finding 2


def _revisions_are_whole(resource_id: str, original: bytes, contents: list[bytes], won: list[int]) -> None:
    """One revision per successful re-upload, numbered 1..n, and every file there exactly once."""
    db.session.expire_all()
    resource = db.session.get(Resource, resource_id)
    revisions = db.session.scalars(select(ResourceRevision).where(ResourceRevision.resource_id == resource_id)
                                   .order_by(ResourceRevision.number)).all()
    assert [r.number for r in revisions] == list(range(1, len(won) + 1))
    history = [r.sha256 for r in revisions] + [resource.sha256]
    assert sorted(history) == sorted([_sha(original)] + [_sha(contents[i]) for i in won])
    assert history[0] == _sha(original)


def _contents(n: int) -> list[bytes]:
    return [(GOOD + f"Puskesmas {i},{i},{i}\n").encode() for i in range(n)]


@pytest.fixture()
def live(app: Flask) -> Iterator[str]:
    served = serve_live(app, "uploads-live")
    yield next(served)
    next(served, None)


def test_parallel_reuploads_over_the_api_never_fail(app: Flask, live: str, draft: Dataset, tokens: Any,
                                                    queue: Any) -> None:
    """Finding: 12 parallel re-uploads of one resource: 10 ended in a 500 (UNIQUE
    resource_revision.number)."""
    secret = tokens["produsen"]["write"]
    original = GOOD.encode()
    created = requests.post(f"{live}{API}/datasets/{draft.slug}/resources", headers=bearer(secret),
                            files={"file": ("nakes.csv", original)}, timeout=60)
    assert created.status_code == 201, created.text
    resource_id = created.json()["data"]["id"]
    contents = _contents(12)
    barrier = threading.Barrier(12)

    def reupload(i: int) -> requests.Response:
        barrier.wait(timeout=60)
        return requests.put(f"{live}{API}/resources/{resource_id}/file", headers=bearer(secret),
                            files={"file": (f"nakes-{i}.csv", contents[i])}, timeout=120)

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(reupload, range(12)))
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {200, 409}, [(a.status_code, a.text[:300]) for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert "sedang diganti oleh permintaan lain" in answer.json()["error"]["message"]
    _revisions_are_whole(resource_id, original, contents, [i for i, s in enumerate(statuses) if s == 200])


def test_parallel_reuploads_on_the_web_route_never_fail(app: Flask, live: str, draft: Dataset, users: Any,
                                                        queue: Any) -> None:
    """Finding: parallel re-uploads on the web route ended in 500s, and the error page itself
    failed to render."""
    browser = requests.Session()
    page = browser.get(f"{live}/masuk", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    signed = browser.post(f"{live}/masuk", data={"login": "produsen", "password": PASSWORD, "csrf_token": token},
                          allow_redirects=False, timeout=30)
    assert signed.status_code == 302
    original = GOOD.encode()
    page = browser.get(f"{live}/kelola/dataset/{draft.slug}/unggah", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    created = browser.post(f"{live}/kelola/dataset/{draft.slug}/unggah", timeout=60, allow_redirects=False,
                           data={"csrf_token": token, "kind": "file"}, files={"file": ("nakes.csv", original)})
    assert created.status_code == 302, created.text[:500]
    resource_id = created.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    here = f"{live}/kelola/dataset/{draft.slug}/sumber/{resource_id}"
    contents = _contents(12)
    barrier = threading.Barrier(12)

    def reupload(i: int) -> tuple[int, str]:
        tab = requests.Session()
        tab.cookies.update(browser.cookies)
        barrier.wait(timeout=60)
        resp = tab.post(f"{here}/ganti", data={"csrf_token": token}, files={"file": (f"nakes-{i}.csv", contents[i])},
                        allow_redirects=False, timeout=120)
        if resp.status_code != 302:
            return resp.status_code, resp.text[:500]
        shown = tab.get(live + resp.headers["Location"] if resp.headers["Location"].startswith("/")
                        else resp.headers["Location"], timeout=60)
        flashes = re.findall(r'<p class="flash flash-(\w+)"[^>]*>([^<]*)</p>', shown.text)
        return 302, repr(flashes)

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(reupload, range(12)))
    assert all(status == 302 for status, _ in answers), answers
    won = [i for i, (_, flashes) in enumerate(answers) if "Berkas diganti" in flashes]
    lost = [flashes for _, flashes in answers if "Berkas diganti" not in flashes]
    assert all("sedang diganti oleh permintaan lain" in flashes for flashes in lost), lost
    assert won
    _revisions_are_whole(resource_id, original, contents, won)


def test_error_page_renders_after_a_failed_flush(tmp_path: Path) -> None:
    """Finding: on the web route the error page itself failed (a bare "Internal Server Error"):
    the failed flush left the session needing a rollback, and rendering the error page read
    the signed-in user through it. Any database error in a request must still get the site's
    error page. (A route of its own in a fresh app: the upload routes no longer fail so.)"""
    from satudata.accounts import services as accounts
    from satudata.catalog.models import Topic
    from tests.conftest import drop_schema, make_app
    from tests.factories import SYSTEM

    fresh = make_app(tmp_path, "errorpage")

    @fresh.get("/uji/simpan-gagal")
    def failing_save() -> str:
        db.session.commit()  # work committed earlier in the request (as a token's last use is)
        db.session.add_all([Topic(slug="ganda", name="Satu"), Topic(slug="ganda", name="Dua")])
        db.session.flush()  # UNIQUE topic.slug
        return "tidak sampai"

    try:
        with fresh.app_context():
            accounts.create_user(SYSTEM, username="pengguna", email="pengguna@riau.go.id", full_name="Pengguna Uji",
                                 password=PASSWORD)
            db.session.commit()
        browser = FlaskClient(fresh, fresh.response_class)
        sign_in(browser, "pengguna")
        resp = browser.get("/uji/simpan-gagal")
        page = resp.get_data(as_text=True)
        assert resp.status_code == 500
        assert "Terjadi kesalahan pada server" in page and "Pengguna Uji" in page, page[:500]
    finally:
        drop_schema(fresh)


# --------------------------------------------------------------------------- finding 3


def _wide_csv(columns: int) -> bytes:
    header = ",".join(f"kolom_{i}" for i in range(columns))
    return (header + "\n" + ",".join("1" for _ in range(columns)) + "\n").encode()


def _wide_xlsx(columns: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([f"kolom_{i}" for i in range(columns)])
    sheet.append([1] * columns)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _wide_json(columns: int) -> bytes:
    import json

    return json.dumps([{f"kolom_{i}": 1 for i in range(columns)}]).encode()


@pytest.mark.parametrize(("make", "filename"), [(_wide_csv, "lebar.csv"), (_wide_xlsx, "lebar.xlsx"),
                                                (_wide_json, "lebar.json")])
def test_too_many_columns_are_refused_at_the_door(app: Flask, scratch_client: Any, draft: Dataset, tokens: Any,
                                                  make: Any, filename: str) -> None:
    """Finding: uploads of 10k-20k columns spent 34-81 s inside the web request. A table wider
    than UPLOAD_MAX_COLUMNS is refused from its header row, saying how wide it is and the limit."""
    limit = app.config["UPLOAD_MAX_COLUMNS"]
    content = make(limit + 1)
    resp = _post_file(scratch_client, draft.slug, tokens["produsen"]["write"], content, filename)
    assert resp.status_code == 422, resp.get_data(as_text=True)[:500]
    message = resp.get_json()["error"]["message"]
    assert f"{limit + 1:,}".replace(",", ".") in message or str(limit + 1) in message, message
    assert "kolom" in message and (str(limit) in message or f"{limit:,}".replace(",", ".") in message), message
    assert not db.session.scalars(select(Resource)).first()
    assert _sha(content) not in _stored_files(app)


def test_upload_request_only_stores_checks_and_queues(app: Flask, scratch_client: Any, draft: Dataset,
                                                      tokens: Any, queue: Any) -> None:
    """Finding: Table Schema inference and the column summary ran inside the upload request
    (holding SQLite's write lock). They now run in the validation job; while it is pending the
    workspace and the API show a pending table and the submission guard waits for it."""
    secret = tokens["produsen"]["write"]
    resp = _post_file(scratch_client, draft.slug, secret, GOOD.encode(), "nakes.csv")
    assert resp.status_code == 201, resp.get_data(as_text=True)
    data = resp.get_json()["data"]
    assert data["validation_status"] == "pending"
    assert data["table_schema"] is None and data["row_count"] is None  # not worked out in the request
    assert db.session.get(Resource, data["id"]).columns is None
    assert queue.count == 1
    # Pending, everywhere the producer looks.
    got = scratch_client.get(f"{API}/resources/{data['id']}", headers=bearer(secret)).get_json()["data"]
    assert got["validation_status"] == "pending" and got["progress"]["state"] == "queued"
    validation = scratch_client.get(f"{API}/resources/{data['id']}/validation", headers=bearer(secret))
    assert validation.status_code == 200 and validation.get_json()["data"]["status"] == "pending"
    submit = scratch_client.post(f"{API}/datasets/{draft.slug}/submit", headers=bearer(secret))
    assert submit.status_code in (409, 422) and "masih divalidasi" in submit.get_data(as_text=True)
    assert "belum punya Table Schema" not in submit.get_data(as_text=True)  # the job is inferring one
    sign_in(scratch_client, "produsen")
    page = scratch_client.get(f"/kelola/dataset/{draft.slug}/sumber/{data['id']}")
    assert page.status_code == 200 and "sedang divalidasi" in page.get_data(as_text=True)
    board = scratch_client.get("/kelola/")
    assert board.status_code == 200 and draft.title in board.get_data(as_text=True)
    overview = scratch_client.get(f"/kelola/dataset/{draft.slug}")
    assert overview.status_code == 200 and "masih divalidasi" in overview.get_data(as_text=True)
    # The job works them out.
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()
    resource = db.session.get(Resource, data["id"])
    assert str(resource.validation_status) == "valid", resource.validation_report
    assert [f["name"] for f in resource.table_schema["fields"]] == ["puskesmas", "dokter", "perawat"]
    assert resource.row_count == 3
    assert [c["name"] for c in resource.columns] == ["puskesmas", "dokter", "perawat"]
    assert resource.columns[1]["type"] == "number" and resource.columns[1]["max"] == 4


# --------------------------------------------------------------------------- finding 4


@pytest.mark.parametrize("depth", [65, 100_000])
def test_deeply_nested_json_is_refused_and_nothing_is_kept(app: Flask, scratch_client: Any, draft: Dataset,
                                                           tokens: Any, depth: int) -> None:
    """Finding: a deeply nested JSON upload ended in a RecursionError (500) and left an orphan
    file in storage."""
    limit = app.config["JSON_MAX_DEPTH"]
    assert depth > limit
    inner = depth - 2  # the top-level array and the record are two levels
    content = ('[{"a": ' + "[" * inner + "]" * inner + "}]").encode()
    before = _stored_files(app)
    resp = _post_file(scratch_client, draft.slug, tokens["produsen"]["write"], content, "dalam.json")
    assert resp.status_code == 422, resp.get_data(as_text=True)[:500]
    message = resp.get_json()["error"]["message"]
    assert "bersarang" in message and str(limit) in message, message
    assert not db.session.scalars(select(Resource)).first()
    assert _stored_files(app) == before
    assert not list((Path(app.config["STORAGE_PATH"]) / "tmp").iterdir())


def test_json_nested_within_the_limit_is_accepted(app: Flask, scratch_client: Any, draft: Dataset,
                                                  tokens: Any, queue: Any) -> None:
    """The depth bound refuses only what is deeper than JSON_MAX_DEPTH."""
    inner = app.config["JSON_MAX_DEPTH"] - 2
    content = ('[{"a": ' + "[" * inner + "]" * inner + ', "b": "[[[{{{\\"]]"}]').encode()
    resp = _post_file(scratch_client, draft.slug, tokens["produsen"]["write"], content, "dalam.json")
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]


# --------------------------------------------------------------------------- finding 5


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_text_from_excel_is_accepted(app: Flask, scratch_client: Any, draft: Dataset, tokens: Any,
                                           queue: Any, codec: str) -> None:
    """Finding: a UTF-16 CSV (Excel's "Unicode Text": UTF-16 with a BOM, tab-separated) was
    refused as "binary, maybe PDF". It is read as the text it is."""
    import codecs

    text = "kecamatan\tpenduduk\r\nBangko\t1200\r\nKubu Babussalam\t950\r\nRimba Melintang\t870\r\n"
    bom = codecs.BOM_UTF16_LE if codec == "utf-16" else codecs.BOM_UTF16_BE
    body = text.encode("utf-16-le" if codec == "utf-16" else "utf-16-be")
    resp = _post_file(scratch_client, draft.slug, tokens["produsen"]["write"], bom + body, "penduduk.csv")
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
    resource_id = resp.get_json()["data"]["id"]
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()
    resource = db.session.get(Resource, resource_id)
    assert str(resource.validation_status) == "valid", resource.validation_report
    assert resource.row_count == 3
    assert [f["name"] for f in resource.table_schema["fields"]] == ["kecamatan", "penduduk"]
    sign_in(scratch_client, "produsen")
    page = scratch_client.get(f"/kelola/dataset/{draft.slug}/sumber/{resource_id}").get_data(as_text=True)
    assert "Kubu Babussalam" in page  # the preview reads it too


def test_utf16_refusal_message_is_not_about_pdf(app: Flask, scratch_client: Any, draft: Dataset,
                                                tokens: Any) -> None:
    """A UTF-16 file that is not a table after all is refused for what it is, not as a PDF."""
    import codecs

    content = codecs.BOM_UTF16_LE + "hanya satu baris\r\n".encode("utf-16-le")
    resp = _post_file(scratch_client, draft.slug, tokens["produsen"]["write"], content, "satu.csv")
    assert resp.status_code == 422
    message = resp.get_json()["error"]["message"]
    assert "PDF" not in message and "biner" not in message, message


# --------------------------------------------------------------------------- finding 6


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_long_file_names_keep_their_extension(app: Flask, scratch_client: Any, draft: Dataset, tokens: Any,
                                              queue: Any, extension: str) -> None:
    """Finding: a long uploaded file name was cut short and lost its .csv/.xlsx."""
    content = GOOD.encode() if extension == "csv" else _wide_xlsx(3)
    filename = "Jumlah Tenaga Kesehatan menurut Puskesmas di Kabupaten Rokan Hilir " * 5 + "2025." + extension
    assert len(filename) > 300
    resp = _post_file(scratch_client, draft.slug, tokens["produsen"]["write"], content, filename)
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
    data = resp.get_json()["data"]
    assert data["filename"].endswith("." + extension) and len(data["filename"]) <= 200
    assert data["format"] == extension.upper()
    assert not data["name"].endswith(extension)
