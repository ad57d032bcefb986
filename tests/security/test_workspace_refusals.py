"""Finding (Low): refused workspace form actions were not audited. The forms catch the domain
error to show it on their page; a forbidden action must still leave ``access.denied``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from satudata.accounts.models import AuditLog
from satudata.catalog import services as catalog
from satudata.extensions import db
from tests.workspace.conftest import COMPLETE, csrf_of, sign_in, vocab  # noqa: F401  (fixture)


def _denials() -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")))


def test_forbidden_form_actions_are_audited(scratch_client: Any, users: Any, orgs: Any, vocab: Any) -> None:  # noqa: F811
    from satudata.catalog.serializers import DatasetFormSchema

    ds = catalog.create_workspace_dataset(users["produsen"], orgs["dinkes"], DatasetFormSchema().load(
        {k: v for k, v in COMPLETE.items()}))
    db.session.commit()
    sign_in(scratch_client, "walidata")
    page = f"/kelola/dataset/{ds.slug}"
    assert scratch_client.get(page).status_code == 200  # the walidata may look ...
    token = csrf_of(scratch_client, page)
    before = len(_denials())
    for action in ("ajukan", "tarik"):  # ... but not submit or retract a producer's dataset
        resp = scratch_client.post(f"{page}/{action}", data={"csrf_token": token})
        assert resp.status_code in (302, 303, 403), (action, resp.status_code)
    denials = _denials()[before:]
    assert len(denials) == 2, [d.object_id for d in denials]
    assert {d.actor_label for d in denials} == {"user:walidata"}
    db.session.refresh(ds)
    assert ds.state == "draft"
