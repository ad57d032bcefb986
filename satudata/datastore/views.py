"""The datastore's pages: the chart and map builder of a published table, its saved views
(save, delete), the embeddable chart (an iframe), and the boundary files maps draw on.

- ``/dataset/<slug>/resource/<id>/visualisasi``: pick the kind (bar, line, stacked bar, pie,
  map), the x column (a region-code column for a map), one or more value columns and an
  aggregation; the chart draws from the typed copy, downloads as PNG and SVG, and has an embed
  code. Producers of the dataset's OPD (and admins) save it as a named view everyone sees on
  the dataset page; saving and deleting are audited.
- ``/embed/tampilan/<id>`` and ``/embed/sumber/<id>``: the chart alone, for other sites'
  iframes (these two pages may be framed; every other page may not).
- ``/peta/batas/<key>.geojson``: the shipped boundaries (``satudata.reference``), cached.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from satudata import reference
from satudata.accounts.views import signed_in
from satudata.authz import Permission, can
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Resource
from satudata.datastore import preview
from satudata.datastore import services as datastore
from satudata.errors import DomainError, Invalid, NotFound, roll_back_refused
from satudata.security import public_url

bp = Blueprint("datastore", __name__)

def kind_labels() -> dict[str, str]:
    return {"bar": _("Batang"), "line": _("Garis"), "stacked": _("Batang bertumpuk"), "pie": _("Pai"),
            "map": _("Peta wilayah")}


def aggregate_labels() -> dict[str, str]:
    return {"sum": _("Jumlah (sum)"), "mean": _("Rata-rata (mean)"), "count": _("Banyak baris (count)")}


def _public_table(slug: str, resource_id: str) -> tuple[Dataset, Resource]:
    try:
        ds = catalog.get_public_dataset(slug[:200])
    except NotFound:
        raise NotFound(_("Dataset '%(key)s' tidak ditemukan atau belum diterbitkan.", key=slug[:80])) from None
    res = next((r for r in ds.resources if r.id == resource_id), None)
    if res is None:
        raise NotFound(_("Sumber data '%(id)s' tidak ditemukan pada dataset ini.", id=resource_id[:64]))
    if not res.is_queryable:
        raise NotFound(_("Grafik hanya dapat dibuat dari tabel yang disimpan di portal dan lolos validasi."))
    return ds, res


def _choices(args: Any, columns: list[preview.Column], dataset: Dataset) -> dict[str, Any]:
    """The builder's choices from the query (or a form); what it leaves out is the dataset's
    default chart (or map)."""
    kind = args.get("jenis") or "bar"
    default = preview.default_choices(columns, dataset, kind) or {}
    ys = [y for y in args.getlist("y") if y] or default.get("ys") or []
    aggregate = args.get("agregasi") or (default["aggregate"] if ys == default.get("ys") else "sum")
    x = args.get("x") or default.get("x") or (columns[0].name if columns else "")
    return {"kind": kind, "x": x, "ys": ys[:6], "aggregate": aggregate}


def _embed_url(res: Resource, choices: dict[str, Any]) -> str:
    return public_url(url_for("datastore.embed_resource", resource_id=res.id, jenis=choices["kind"], x=choices["x"],
                              y=choices["ys"], agregasi=choices["aggregate"]))


def _editor() -> Any:
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/dataset/<slug>/resource/<resource_id>/visualisasi", methods=["GET", "POST"])
def builder(slug: str, resource_id: str) -> Any:
    """Build a chart or map of a published table; save it as a named view."""
    ds, res = _public_table(slug, resource_id)
    table = datastore.open_copy(res)
    columns = preview.columns_of(table)
    form = request.form if request.method == "POST" else request.args
    choices = _choices(form, columns, ds)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        user = signed_in()
        try:
            view = datastore.save_view(user, res, name=request.form.get("name", ""), kind=choices["kind"],
                                       x=choices["x"], ys=choices["ys"], aggregate=choices["aggregate"])
        except DomainError as err:
            roll_back_refused(err)
            if not isinstance(err, Invalid):
                raise
            errors = dict(err.details) or {"_form": [err.message]}
        else:
            flash(_("Tampilan \"%(name)s\" disimpan; semua pengunjung melihatnya di halaman dataset.", name=view.name),
                  "success")
            return redirect(url_for("catalog.dataset", slug=ds.slug) + f"#tampilan-{view.id}")
    spec = None
    problem = None
    try:
        spec = preview.view_spec(table, choices)
    except Invalid as err:
        problem = err.message
    user = _editor()
    editable = user is not None and can(user, Permission.CATALOG_DATASET_EDIT, ds)
    saved = datastore.list_views([res.id])
    return render_template(
        "datastore/builder.html", ds=ds, res=res, columns=columns, choices=choices, spec=spec, problem=problem,
        kinds=kind_labels(), aggregates=aggregate_labels(), region=preview.region_column(columns),
        embed_url=_embed_url(res, choices) if spec else None, editable=editable, saved=saved, errors=errors,
        name=request.form.get("name", "") if errors else "",
    ), 400 if errors else 200


@bp.post("/tampilan/<int:view_id>/hapus")
def delete(view_id: int) -> Any:
    """Remove a saved view (producers of the dataset's OPD, admins)."""
    user = signed_in()
    view = datastore.get_public_view(view_id)
    slug = view.resource.dataset.slug
    name = view.name
    datastore.delete_view(user, view)
    flash(_("Tampilan \"%(name)s\" dihapus.", name=name), "success")
    return redirect(url_for("catalog.dataset", slug=slug) + "#tampilan")


def _embed(ds: Dataset, res: Resource, spec: dict[str, Any] | None, title: str, problem: str | None = None) -> Any:
    g.embeddable = True  # satudata.security lets other sites frame this page
    return render_template("datastore/embed.html", ds=ds, res=res, spec=spec, title=title, problem=problem,
                           page_url=public_url(url_for("catalog.dataset", slug=ds.slug)))


@bp.get("/embed/tampilan/<int:view_id>")
def embed_view(view_id: int) -> Any:
    """A saved view alone, for an iframe."""
    g.embeddable = True
    view = datastore.get_public_view(view_id)
    res = view.resource
    table = datastore.open_copy(res)
    try:
        spec = preview.view_spec(table, view.choices(), title=view.name)
    except Invalid as err:
        return _embed(res.dataset, res, None, view.name, err.message)
    return _embed(res.dataset, res, spec, view.name)


@bp.get("/embed/sumber/<resource_id>")
def embed_resource(resource_id: str) -> Any:
    """A chart of a published table (the builder's choices in the query), for an iframe."""
    g.embeddable = True
    res = catalog.get_public_resource(resource_id[:100])
    ds = res.dataset
    table = datastore.open_copy(res)  # NotFound for what is not a valid table
    columns = preview.columns_of(table)
    choices = _choices(request.args, columns, ds)
    try:
        spec = preview.view_spec(table, choices)
    except Invalid as err:
        return _embed(ds, res, None, res.name, err.message)
    return _embed(ds, res, spec, spec.get("title") or ", ".join(s["label"] for s in spec.get("series", [])))


@bp.get("/peta/batas/<key>.geojson")
def boundary(key: str) -> Any:
    """A shipped boundary file (public, cached for a day)."""
    if key not in reference.BOUNDARIES:
        abort(404)
    resp = send_file(reference.boundary_path(key), mimetype="application/geo+json", max_age=86400, conditional=True)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
