"""One unit of work per request and per job (issue #15): a view that returns is committed, one
that raises is rolled back before the error page; a commit that fails is an error answer; a job
commits when it returns and leaves nothing when it raises. Routes and jobs of their own, on an
app of their own, so each case is exactly one change and one outcome."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, render_template_string
from sqlalchemy import func, select

from satudata import jobs
from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, OrganizationKind
from satudata.catalog.models import Topic
from satudata.db import unit_of_work
from satudata.errors import Conflict, DomainError, Invalid, roll_back_refused
from satudata.extensions import db
from tests.conftest import drop_schema, make_app
from tests.factories import SYSTEM


def _add_org(slug: str) -> Organization:
    """A change made through a service (it flushes: the row is in the transaction)."""
    return accounts.create_organization(SYSTEM, slug=slug, name=f"Dinas {slug}", kind=OrganizationKind.OPD)


def _stored(app: Flask, slug: str) -> bool:
    """Whether an organisation is in the database, as another connection sees it (committed)."""
    with app.app_context(), db.engine.connect() as conn:
        return bool(conn.scalar(select(func.count()).select_from(Organization).where(Organization.slug == slug)))


@pytest.fixture(scope="module")
def uow_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = make_app(tmp_path_factory.mktemp("uow"), "uow", WTF_CSRF_ENABLED=False)

    @app.post("/uji/ubah/<slug>")
    def change(slug: str) -> str:
        _add_org(slug)
        return "disimpan"

    @app.post("/uji/ubah-lalu-tolak/<slug>")
    def change_then_refuse(slug: str) -> str:
        _add_org(slug)
        raise Conflict("Ditolak sesudah layanan mengubah sesuatu.")

    @app.post("/uji/tolak-di-formulir/<slug>")
    def refuse_in_form(slug: str) -> Any:
        # A view that shows the refusal in its own page (400) instead of the error page.
        try:
            _add_org(slug)
            raise Invalid("Isian salah.", details={"name": ["Periksa nama."]})
        except DomainError as err:
            roll_back_refused(err)
            count = db.session.scalar(select(func.count()).select_from(Organization))
            return render_template_string("{{ m }} ({{ n }})", m=err.message, n=count), 400

    @app.post("/uji/tolak-tetap-tercatat/<slug>")
    def refuse_keeping(slug: str) -> str:
        _add_org(slug)  # stands for a failed sign-in's counter and audit row
        raise Invalid("Ditolak, tetapi tercatat.", keep_changes=True)

    @app.post("/uji/commit-gagal")
    def failing_commit() -> str:
        # Not flushed in the view: the UNIQUE topic.slug fails in the request's commit.
        db.session.add_all([Topic(slug="ganda", name="Satu"), Topic(slug="ganda", name="Dua")])
        return "tidak boleh sampai"

    @app.post("/uji/checkpoint")
    def checkpoint_in_request() -> str:
        jobs.checkpoint()
        return "tidak boleh sampai"

    yield app
    drop_schema(app)


def test_a_view_that_returns_is_committed(uow_app: Flask) -> None:
    resp = uow_app.test_client().post("/uji/ubah/dinas-tersimpan")
    assert resp.status_code == 200 and resp.get_data(as_text=True) == "disimpan"
    assert _stored(uow_app, "dinas-tersimpan")


def test_a_domain_error_in_a_view_leaves_nothing(uow_app: Flask) -> None:
    resp = uow_app.test_client().post("/uji/ubah-lalu-tolak/dinas-ditolak")
    assert resp.status_code == 409
    assert "Ditolak sesudah layanan mengubah sesuatu." in resp.get_data(as_text=True)
    assert not _stored(uow_app, "dinas-ditolak")


def test_a_refusal_shown_in_a_form_stays_rolled_back(uow_app: Flask) -> None:
    """The view answers 400 with its own page; what the service did before the refusal is gone
    already while the page renders, and the request's commit does not bring it back."""
    client = uow_app.test_client()
    before = client.post("/uji/ubah/dinas-sebelum-formulir")
    assert before.status_code == 200
    resp = client.post("/uji/tolak-di-formulir/dinas-formulir")
    assert resp.status_code == 400
    with uow_app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Organization))
    assert resp.get_data(as_text=True) == f"Isian salah. ({total})"
    assert not _stored(uow_app, "dinas-formulir")


def test_a_refusal_that_keeps_its_changes(uow_app: Flask) -> None:
    resp = uow_app.test_client().post("/uji/tolak-tetap-tercatat/dinas-tercatat")
    assert resp.status_code == 400 and "Ditolak, tetapi tercatat." in resp.get_data(as_text=True)
    assert _stored(uow_app, "dinas-tercatat")


def test_a_failed_commit_is_an_error_answer(uow_app: Flask) -> None:
    resp = uow_app.test_client().post("/uji/commit-gagal")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 500, page
    assert "tidak boleh sampai" not in page and "Terjadi kesalahan pada server" in page
    with uow_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Topic).where(Topic.slug == "ganda")) == 0


def test_a_request_cannot_checkpoint(uow_app: Flask) -> None:
    resp = uow_app.test_client().post("/uji/checkpoint")
    assert resp.status_code == 500


# --------------------------------------------------------------------------- jobs


def job_that_changes(slug: str) -> str:
    _add_org(slug)
    return slug


def job_that_changes_then_refuses(slug: str) -> None:
    _add_org(slug)
    raise Invalid("Pekerjaan ini menolak sesudah mengubah sesuatu.")


def job_that_checkpoints_then_fails(slug: str) -> None:
    _add_org(slug)
    jobs.checkpoint()  # stands for a validation run's progress, or its verdict before a timeout
    _add_org(slug + "-sesudah")
    raise RuntimeError("pekerja mati")


@jobs.job
def decorated_job_that_refuses(slug: str) -> None:
    _add_org(slug)
    raise Invalid("Ditolak.")


@jobs.job
def decorated_job(slug: str) -> None:
    _add_org(slug)


def test_a_job_that_returns_is_committed(uow_app: Flask) -> None:
    with uow_app.app_context():
        assert jobs.run_job(f"{__name__}.job_that_changes", "dinas-dari-job") == "dinas-dari-job"
    assert _stored(uow_app, "dinas-dari-job")


def test_a_domain_error_in_a_job_leaves_nothing(uow_app: Flask) -> None:
    with uow_app.app_context():
        with pytest.raises(Invalid):
            jobs.run_job(f"{__name__}.job_that_changes_then_refuses", "dinas-job-ditolak")
        assert db.session.scalar(select(Organization).where(Organization.slug == "dinas-job-ditolak")) is None
    assert not _stored(uow_app, "dinas-job-ditolak")


def test_a_checkpoint_stands_when_the_job_then_fails(uow_app: Flask) -> None:
    with uow_app.app_context(), pytest.raises(RuntimeError):
        jobs.run_job(f"{__name__}.job_that_checkpoints_then_fails", "dinas-checkpoint")
    assert _stored(uow_app, "dinas-checkpoint")
    assert not _stored(uow_app, "dinas-checkpoint-sesudah")


def test_a_job_called_directly_is_its_own_unit(uow_app: Flask) -> None:
    with uow_app.app_context():
        decorated_job("dinas-langsung")
        with pytest.raises(Invalid):
            decorated_job_that_refuses("dinas-langsung-ditolak")
    assert _stored(uow_app, "dinas-langsung")
    assert not _stored(uow_app, "dinas-langsung-ditolak")


def test_an_inner_unit_joins_the_outer_one(uow_app: Flask) -> None:
    """A job run inside another unit (a job called from a job, a CLI command) does not commit on
    its own: the outer unit decides."""
    with uow_app.app_context(), pytest.raises(Conflict), unit_of_work():
        decorated_job("dinas-dalam")
        raise Conflict("Yang luar gagal.")
    assert not _stored(uow_app, "dinas-dalam")

