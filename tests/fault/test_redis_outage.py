"""Issue #16, fault suite: Redis stopped and started again under a real server.

While the portal's Redis is down the public site keeps answering (no 500: the rate limiter and
the job enqueue tolerate the outage), a producer's upload and a password-reset request are
taken without a server error and nothing is lost: once Redis is back, the periodic sweeps (run
as the scheduler runs them) validate the upload and send the mail.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select, update

from satudata.accounts.models import OutboxMessage, OutboxStatus
from satudata.catalog.models import Dataset, Resource, ValidationStatus
from satudata.db import utcnow
from satudata.extensions import db
from satudata.validation.models import RunStatus, ValidationRun
from tests.accounts.conftest import PASSWORD, bearer
from tests.factories import make_dataset
from tests.fault.conftest import Processes, RedisServer, csrf_token, enqueue_periodic, serve

pytestmark = [pytest.mark.fault, pytest.mark.jobs]

TABLE = ("kode_wilayah,kecamatan,jumlah\n"
         "14.07.01,Kubu,12\n"
         "14.07.02,Bangko,30\n")


def _public_pages(base: str, slug: str) -> None:
    for path in ("/", "/dataset", f"/dataset/{slug}", "/dataset?q=penduduk",
                 "/api/3/action/package_search?q=penduduk", "/api/v1/datasets?q=penduduk"):
        resp = requests.get(base + path, timeout=30)
        assert resp.status_code == 200, (path, resp.status_code, resp.text[:500])


def test_public_site_uploads_and_mail_survive_a_redis_outage(
        app: Flask, users: dict[str, Any], tokens: dict[str, Any], orgs: dict[str, Any],
        private_redis: RedisServer, processes: Processes) -> None:
    """Redis down: pages and APIs answer 200, sign-in works, an upload and a reset request are
    not lost; Redis back: the sweeps validate the upload and send the mail."""
    published = make_dataset(title="Jumlah Penduduk menurut Kecamatan")
    draft = make_dataset(orgs["dinkes"], publish=False, csv=None, title="Jumlah Puskesmas")
    db.session.commit()
    slug, draft_slug = published.slug, draft.slug
    mail_dir = Path(app.instance_path) / "mail"
    for old in mail_dir.glob("*.eml"):
        old.unlink()

    with serve(app, processes) as base:
        _public_pages(base, slug)
        private_redis.stop()

        # ---- Redis is down
        _public_pages(base, slug)
        session = requests.Session()
        token = csrf_token(session, base + "/masuk")
        resp = session.post(base + "/masuk", data={"login": "produsen", "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=30)
        assert resp.status_code == 302, (resp.status_code, resp.text[:500])

        resp = requests.post(f"{base}/api/v1/workspace/datasets/{draft_slug}/resources",
                             headers=bearer(tokens["produsen"]["write"]),
                             files={"file": ("puskesmas.csv", io.BytesIO(TABLE.encode()), "text/csv")},
                             data={"name": "Puskesmas per kecamatan"}, timeout=60)
        assert resp.status_code in (201, 503), (resp.status_code, resp.text[:1000])
        accepted = resp.status_code == 201
        if not accepted:  # refused clearly: a message, and nothing half-made
            assert resp.json()["error"]["message"]

        anonymous = requests.Session()
        token = csrf_token(anonymous, base + "/akun/lupa-kata-sandi")
        resp = anonymous.post(base + "/akun/lupa-kata-sandi",
                              data={"email": users["produsen"].email, "csrf_token": token}, timeout=30)
        assert resp.status_code == 200, (resp.status_code, resp.text[:1000])
        assert "Periksa email Anda" in resp.text

        db.session.rollback()
        resources = list(db.session.scalars(
            select(Resource).join(Dataset).where(Dataset.slug == draft_slug)))
        assert len(resources) == (1 if accepted else 0)
        if accepted:
            runs = list(db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == resources[0].id)))
            assert [r.status for r in runs] == [RunStatus.QUEUED]  # waiting for a job that was never queued
        mails = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == users["produsen"].email)))
        assert [m.status for m in mails] == [OutboxStatus.PENDING]
        assert not list(mail_dir.glob("*.eml"))
        db.session.rollback()

        # ---- Redis is back (empty: it keeps nothing across a restart)
        private_redis.start()
        _public_pages(base, slug)

    # The runs and mails waited longer than a sweep period (as they would have in an outage
    # of some minutes); the scheduler then queues the sweeps and a worker runs them.
    long_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(ValidationRun).where(ValidationRun.status == RunStatus.QUEUED)
                       .values(created_at=long_ago))
    db.session.commit()
    enqueue_periodic("satudata.accounts.tasks.sweep_outbox")
    enqueue_periodic("satudata.validation.tasks.sweep_runs")
    processes.run_burst(app, "mail", "validation")

    db.session.expire_all()
    mail = db.session.get(OutboxMessage, mails[0].id)
    assert mail is not None and mail.status == OutboxStatus.SENT, (mail.status, mail.last_error)
    sent = [p.read_text(errors="replace") for p in mail_dir.glob("*.eml")]
    assert len(sent) == 1 and "/akun/atur-ulang/" in sent[0] and users["produsen"].email in sent[0]
    if accepted:
        resource = db.session.get(Resource, resources[0].id)
        assert resource is not None and resource.validation_status == ValidationStatus.VALID
