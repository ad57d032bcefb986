"""Saved views: the named charts and maps producers keep for a published table."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import func, select

from satudata.accounts.services import audit
from satudata.authz import Permission, require
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Resource
from satudata.datastore import preview
from satudata.datastore.models import AGGREGATES, VIEW_KINDS, ChartView
from satudata.datastore.services import query
from satudata.errors import DomainError, Invalid, NotFound
from satudata.extensions import db
from satudata.security import public_url

MAX_VIEWS_PER_RESOURCE = 30


def list_views(resource_ids: list[str]) -> list[ChartView]:
    """The saved views of these resources, oldest first."""
    if not resource_ids:
        return []
    return list(db.session.scalars(select(ChartView).where(ChartView.resource_id.in_(resource_ids))
                                   .order_by(ChartView.created_at, ChartView.id)))


def get_public_view(view_id: int) -> ChartView:
    """A saved view of a published, public table; ``NotFound`` otherwise."""
    view = db.session.get(ChartView, view_id) if 0 < view_id < 2**31 else None
    if view is None:
        raise NotFound("Tampilan grafik ini tidak ditemukan.")
    catalog.get_public_resource(view.resource_id)  # NotFound once its dataset is not public
    return view


def save_view(actor: Any, resource: Resource, *, name: str, kind: str, x: str, ys: list[str],
              aggregate: str) -> ChartView:
    """Save the builder's choices as a named view of ``resource`` (its spec is checked by
    drawing it once). Producers of the dataset's OPD and admins."""
    require(actor, Permission.CATALOG_DATASET_EDIT, resource.dataset)
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Beri nama tampilan, misalnya \"Prevalensi stunting per kecamatan\"."]
    elif len(name) > 200:
        errors["name"] = ["Nama paling banyak 200 karakter."]
    if kind not in VIEW_KINDS:
        errors["kind"] = ["Pilih jenis grafik atau peta."]
    if aggregate not in AGGREGATES:
        errors["aggregate"] = ["Pilih agregasi: jumlah, rata-rata atau banyak baris."]
    if errors:
        raise Invalid("Tampilan belum dapat disimpan: " + "; ".join(m for ms in errors.values() for m in ms),
                      details=errors)
    count = db.session.scalar(select(func.count()).select_from(ChartView).where(ChartView.resource_id == resource.id))
    if (count or 0) >= MAX_VIEWS_PER_RESOURCE:
        raise Invalid(f"Sebuah tabel paling banyak punya {MAX_VIEWS_PER_RESOURCE} tampilan; hapus yang tidak dipakai.",
                      details={"name": ["Terlalu banyak tampilan."]})
    duplicate = db.session.scalar(select(ChartView).where(ChartView.resource_id == resource.id,
                                                          func.lower(ChartView.name) == name.lower()))
    if duplicate is not None:
        message = f"Tabel ini sudah punya tampilan bernama \"{duplicate.name}\"; pakai nama lain."
        raise Invalid(message, details={"name": [message]})
    table = query.open_copy(resource)
    preview.view_spec(table, {"kind": kind, "x": x, "ys": ys, "aggregate": aggregate})  # Invalid if it cannot draw
    view = ChartView(resource_id=resource.id, name=name, kind=kind, x=x, ys=list(ys), aggregate=aggregate,
                     created_by_id=getattr(actor, "id", None))
    db.session.add(view)
    db.session.flush()
    audit(actor, "chart_view.create", "chart_view", view.id,
          {"resource": resource.id, "name": name, "kind": kind, "x": x, "ys": list(ys), "aggregate": aggregate})
    return view


def delete_view(actor: Any, view: ChartView) -> None:
    """Remove a saved view. Producers of the dataset's OPD and admins."""
    require(actor, Permission.CATALOG_DATASET_EDIT, view.resource.dataset)
    audit(actor, "chart_view.delete", "chart_view", view.id, {"resource": view.resource_id, "name": view.name})
    db.session.delete(view)
    db.session.flush()


def saved_views(dataset: Dataset) -> list[dict[str, Any]]:
    """The saved views of ``dataset``'s tables, each drawn from its copy (a view whose columns
    no longer exist after a new version says so instead of drawing)."""
    shown = []
    tables_by_id: dict[str, query.Table] = {}
    resources = {r.id: r for r in dataset.resources}
    for view in list_views(list(resources)):
        res = resources[view.resource_id]
        item: dict[str, Any] = {"id": view.id, "name": view.name, "resource": res, "spec": None, "problem": None,
                                "embed_url": public_url(url_for("datastore.embed_view", view_id=view.id))}
        try:
            table = tables_by_id.get(res.id) or query.open_copy(res)
            tables_by_id[res.id] = table
            item["spec"] = preview.view_spec(table, view.choices(), title=view.name)
        except DomainError as err:
            item["problem"] = err.message
        shown.append(item)
    return shown
