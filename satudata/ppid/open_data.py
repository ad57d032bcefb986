"""The answer as open data: an officer proposes the information a request asked for as a draft
dataset in the handling OPD's workspace; it is reviewed and published like any other, and once
public the register and the applicant's page link it."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from sqlalchemy import select

from satudata.accounts.services import audit, notify
from satudata.authz import Actor, Permission, SystemActor, actor_label, require
from satudata.catalog.models import Dataset
from satudata.catalog.services import create_dataset, public_filter
from satudata.db import utcnow
from satudata.errors import Conflict, Invalid
from satudata.extensions import db
from satudata.ppid import identity
from satudata.ppid.models import InformationRequest, RequestDataset, RequestEvent, RequestState
from satudata.review.notify import producers_of


def propose_open_data(actor: Actor, request: InformationRequest, *, title: str, description: str = "") -> Any:
    """Make the information a request asked for into a dataset: a draft in the workspace of the
    OPD handling the request, told to its producers, which the walidata reviews and publishes like
    any other (nothing is public before that). The request keeps the link: once the dataset is
    published the register and the applicant's page point to it. Returns the draft."""
    require(actor, Permission.PPID_REQUEST_HANDLE, request)
    if request.state in (RequestState.SPAM, RequestState.NOT_ENTITLED, RequestState.WITHDRAWN):
        raise Conflict("Permohonan ini tidak dijawab, jadi tidak diusulkan menjadi data terbuka.")
    if request.state == RequestState.REFUSED:
        raise Conflict("Informasi yang ditolak (dikecualikan) tidak diusulkan menjadi data terbuka.")
    title = (title or "").strip()
    if len(title) < 5:
        raise Invalid("Tulis judul dataset (paling sedikit 5 huruf).", details={"title": ["Tulis judul dataset."]})
    if len(title) > 300:
        raise Invalid("Judul dataset paling panjang 300 huruf.", details={"title": ["Persingkat judulnya."]})
    body = (description or "").strip() or identity.mask_numbers(request.information)
    body = identity.mask_numbers(body) + (
        f"\n\nDiusulkan dari permohonan informasi publik {request.number} agar tersedia untuk semua orang.")
    # The producers of the OPD own the draft; the officer proposes it on the portal's authority
    # (a PPID officer need not be a producer), and the audit log says who did.
    dataset = create_dataset(SystemActor(name="ppid"), request.handler, title=title, description=body)
    db.session.add(RequestDataset(request_id=request.id, dataset_id=dataset.id, created_by_id=getattr(actor, "id", None)))
    db.session.add(RequestEvent(request_id=request.id, action="propose_open_data", from_state=str(request.state),
                                to_state=str(request.state), actor_id=getattr(actor, "id", None),
                                actor_label=actor_label(actor),
                                note="Informasi ini diusulkan untuk diterbitkan sebagai data terbuka.",
                                data={"dataset": dataset.slug}, created_at=utcnow()))
    audit(actor, "ppid.propose_open_data", "ppid_request", request.id,
          {"number": request.number, "dataset": dataset.slug, "organization": request.handler.slug})
    url = url_for("workspace.dataset", slug=dataset.slug) if "workspace.dataset" in current_app.view_functions else None
    notify(producers_of(dataset), kind="ppid.open_data", title=f'Usulan data terbuka dari PPID: "{title}"',
           body=(f"Petugas PPID mengusulkan informasi dari permohonan {request.number} diterbitkan sebagai "
                 f"data terbuka. Draf dataset sudah dibuat di ruang kerja {request.handler.name}: lengkapi "
                 "metadata, unggah tabelnya, lalu ajukan ke walidata."), url=url)
    db.session.flush()
    return dataset


def open_data_of(request: InformationRequest, *, published_only: bool = True) -> list[Any]:
    """The datasets proposed from ``request`` (only the published ones, for the public)."""

    query = (select(Dataset).join(RequestDataset, RequestDataset.dataset_id == Dataset.id)
             .where(RequestDataset.request_id == request.id).order_by(RequestDataset.id))
    if published_only:
        query = query.where(public_filter())
    return list(db.session.scalars(query))


def published_open_data(request_ids: list[int]) -> dict[int, list[str]]:
    """The published datasets made from each of ``request_ids`` (slugs), in one query."""

    found: dict[int, list[str]] = {}
    if not request_ids:
        return found
    for request_id, slug in db.session.execute(
            select(RequestDataset.request_id, Dataset.slug).join(Dataset, RequestDataset.dataset_id == Dataset.id)
            .where(RequestDataset.request_id.in_(request_ids), public_filter()).order_by(RequestDataset.id)):
        found.setdefault(request_id, []).append(slug)
    return found
