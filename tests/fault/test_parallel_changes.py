"""Issue #16, load suite: many re-uploads of one resource and many submits of one dataset at
the same moment, through a real gunicorn (several processes and threads).

Each answer is a success or a clear 409, never a 500; every accepted file is kept exactly once
(current, or in the history with a revision number of its own); every stored file still
downloads; the dataset ends submitted exactly once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from satudata.accounts.models import AuditLog
from satudata.catalog.models import Dataset, DatasetState, Resource, ValidationStatus
from satudata.extensions import db
from satudata.review.models import ReviewEvent
from satudata.validation.models import RunStatus, ValidationRun
from tests.accounts.conftest import bearer
from tests.fault.conftest import Processes, csrf_token, serve, sign_in
from tests.workspace.conftest import COMPLETE

pytestmark = [pytest.mark.fault, pytest.mark.jobs]

UPLOADS = 12
API_SUBMITS = 3
FORM_SUBMITS = 3
METADATA = {**COMPLETE, "tags": ["nakes", "puskesmas"], "year": 2025}
HEADER = "kode_wilayah,kecamatan,jumlah\n"


def _table(n: int) -> bytes:
    """A small valid table whose content (and so its SHA-256) differs for every ``n``."""
    return (HEADER + "".join(f"14.07.{i:02d},Kecamatan {i},{n * 100 + i}\n" for i in range(1, 21))).encode()


def _all_at_once(calls: list[Callable[[], tuple[Any, int, str]]]) -> list[tuple[Any, int, str]]:
    """Run ``calls`` in threads released together; each answer bounded by its own timeout."""
    gate = threading.Barrier(len(calls), timeout=60)

    def run(call: Callable[[], tuple[Any, int, str]]) -> tuple[Any, int, str]:
        gate.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls, timeout=300))


def test_parallel_reuploads_and_submits(app: Flask, users: dict[str, Any], tokens: dict[str, Any],
                                        vocab: None, processes: Processes) -> None:
    """12 re-uploads of one resource, then 6 submits (API and form) of its dataset, at once."""
    auth = bearer(tokens["produsen"]["write"])
    original = _table(0)
    contents = {i: _table(i) for i in range(1, UPLOADS + 1)}
    by_sha = {hashlib.sha256(c).hexdigest(): c for c in [original, *contents.values()]}
    db.session.commit()  # the fixtures' rows are visible to the server; no transaction stays open

    with serve(app, processes, workers=2, threads=4) as base:
        api = base + "/api/v1/workspace"
        resp = requests.post(api + "/datasets", json=METADATA, headers=auth, timeout=60)
        assert resp.status_code == 201, resp.text[:1000]
        slug = resp.json()["data"]["slug"]
        resp = requests.post(f"{api}/datasets/{slug}/resources", headers=auth, timeout=60,
                             files={"file": ("nakes.csv", original, "text/csv")}, data={"name": "Tenaga kesehatan"})
        assert resp.status_code == 201, resp.text[:1000]
        resource_id = resp.json()["data"]["id"]
        assert resp.json()["data"]["sha256"] == hashlib.sha256(original).hexdigest()

        # ---- 12 re-uploads of the same resource, released together
        def reupload(n: int) -> Callable[[], tuple[Any, int, str]]:
            def call() -> tuple[Any, int, str]:
                r = requests.put(f"{api}/resources/{resource_id}/file", headers=auth, timeout=120,
                                 files={"file": (f"nakes-{n}.csv", contents[n], "text/csv")})
                return n, r.status_code, r.text

            return call

        answers = _all_at_once([reupload(n) for n in contents])
        bad = [(n, status, text[:300]) for n, status, text in answers if status != 200 and status != 409]
        assert not bad, f"re-uploads answered other than 200/409: {bad}"
        accepted = {hashlib.sha256(contents[n]).hexdigest() for n, status, _ in answers if status == 200}
        assert accepted, "at least one re-upload should succeed"

        db.session.rollback()
        resource = db.session.get(Resource, resource_id)
        assert resource is not None
        revisions = sorted(resource.revisions, key=lambda r: r.number)
        # One revision per accepted re-upload, numbered 1..n without gaps or repeats ...
        assert [r.number for r in revisions] == list(range(1, len(accepted) + 1))
        # ... and each file kept exactly once: nothing overwritten, nothing counted twice.
        kept = Counter([r.sha256 for r in revisions] + [resource.sha256])
        assert kept == Counter([hashlib.sha256(original).hexdigest(), *accepted])
        current_sha = resource.sha256
        history = {r.number: r.sha256 for r in revisions}
        db.session.rollback()

        # ---- every stored file downloads, byte for byte, for the signed-in producer
        producer = sign_in(base, "produsen")
        own = f"{base}/kelola/dataset/{slug}/sumber/{resource_id}"
        resp = producer.get(own + "/unduh", timeout=60)
        assert resp.status_code == 200 and resp.content == by_sha[current_sha]
        for number, sha in history.items():
            resp = producer.get(f"{own}/riwayat/{number}/unduh", timeout=60)
            assert resp.status_code == 200, (number, resp.status_code)
            assert resp.content == by_sha[sha], number

        # ---- the current file is validated; the jobs of replaced files change nothing
        processes.run_burst(app, "validation", "default")
        resource = db.session.get(Resource, resource_id)
        assert resource is not None and resource.validation_status == ValidationStatus.VALID
        runs = list(db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == resource_id)
                                       .order_by(ValidationRun.id)))
        assert not [r.id for r in runs if r.status in (RunStatus.QUEUED, RunStatus.RUNNING)]
        assert [r.sha256 for r in runs if r.status == RunStatus.VALID] == [resource.sha256]
        db.session.rollback()

        # ---- 6 submits of the dataset (API and web form), released together
        forms = []
        for _ in range(FORM_SUBMITS):
            session = sign_in(base, "produsen")
            forms.append((session, csrf_token(session, f"{base}/kelola/dataset/{slug}")))

        def submit_api(i: int) -> Callable[[], tuple[Any, int, str]]:
            def call() -> tuple[Any, int, str]:
                r = requests.post(f"{api}/datasets/{slug}/submit", headers=auth, json={"note": f"api {i}"}, timeout=60)
                return ("api", i), r.status_code, r.text
            return call

        def submit_form(i: int) -> Callable[[], tuple[Any, int, str]]:
            session, token = forms[i]

            def call() -> tuple[Any, int, str]:
                r = session.post(f"{base}/kelola/dataset/{slug}/ajukan", data={"csrf_token": token, "note": f"form {i}"},
                                 allow_redirects=False, timeout=60)
                return ("form", i), r.status_code, r.text
            return call

        answers = _all_at_once([submit_api(i) for i in range(API_SUBMITS)] + [submit_form(i) for i in range(FORM_SUBMITS)])
        bad = [(who, status, text[:300]) for who, status, text in answers
               if not (200 <= status < 400 or status == 409)]
        assert not bad, f"submits answered other than 2xx/3xx/409: {bad}"
        api_accepted = [who for who, status, _ in answers if who[0] == "api" and status == 200]
        assert len(api_accepted) <= 1, f"one draft submitted {len(api_accepted)} times at once: {api_accepted}"

    db.session.rollback()
    dataset = db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one()
    assert dataset.state == DatasetState.SUBMITTED
    events = list(db.session.scalars(select(ReviewEvent).where(ReviewEvent.dataset_id == dataset.id,
                                                               ReviewEvent.action == "submit")))
    assert len(events) == 1, f"submitted {len(events)} times: {[e.note for e in events]}"
    audits = list(db.session.scalars(select(AuditLog).where(AuditLog.action == "dataset.submit",
                                                            AuditLog.object_id == dataset.id)))
    assert len(audits) == 1
