"""The MS-Keg / MS-Var / MS-Ind pages.

- ``/kelola/dataset/<slug>/metadata-statistik``: the MS-Keg form (prefilled), with how complete
  each form is and the downloads; ``.../variabel`` the MS-Var form (one block per column of
  each table), ``.../indikator`` the MS-Ind form. Saving keeps a draft even when mandatory
  parts are empty and lists them, each linked to its field.
- ``/kelola/dataset/<slug>/metadata-statistik.xlsx`` and ``.json``: the exports, for whoever
  may read the dataset in the workspace.
- ``/kelola/dataset/<slug>/metadata-statistik/impor``: the import of that workbook (filled in
  offline) for one dataset; the MS pages carry its form, this page explains it and reports a
  refused file by sheet, row and field.
- ``/kelola/metadata-statistik``: the statistical datasets of an OPD (or the walidata's region)
  with their completeness, and the bulk XLSX export.
- ``/dataset/<slug>/metadata-statistik`` (and ``.xlsx``, ``.json``): the public view of a
  published public statistical dataset.

Views are thin: every change goes through ``statistik.services``, which authorise and audit.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from satudata.authz import Actor, Permission, can, require
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset
from satudata.errors import Conflict, DomainError, Invalid, NotFound, Unauthenticated, roll_back_refused
from satudata.review.statistik import policy as _policy  # noqa: F401  (registers the rules)
from satudata.review.statistik import serializers, services, spec

bp = Blueprint("statistik", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in() -> Actor:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return current_user._get_current_object()  # type: ignore[no-any-return]


def summary(dataset: Dataset | None) -> dict[str, Any] | None:
    """What the dataset, workspace and review pages show of a dataset's MS metadata (None when
    it has none): whether it was started, completeness per form, what is missing."""
    if dataset is None or not services.applies(dataset):
        return None
    return _summary_of(services.load(dataset))


def _summary_of(meta: services.Metadata) -> dict[str, Any]:
    dataset = meta.dataset
    gaps = services.missing(meta)
    changes = services.revision_changes(dataset) if dataset.revision_of is not None else []
    return {"meta": meta, "started": meta.started, "completeness": services.completeness(meta, gaps),
            "missing": gaps.messages(), "sections": spec.keg_sections(), "revision_changes": changes,
            "asked": {f.key for f in spec.asked_fields(spec.KEG_FIELDS, meta.keg)}}


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"statistik_summary": summary, "statistik_applies": services.applies,
            "statistik_revision_changes": services.revision_changes}


def _workspace_dataset(user: Actor, slug: str) -> Dataset:
    dataset = catalog.get_workspace_dataset(user, slug[:120])
    if not services.applies(dataset):
        raise NotFound(_("Dataset ini bukan statistik sektoral, jadi tidak memiliki metadata statistik BPS."))
    return dataset


def _errors(err: DomainError) -> dict[str, Any]:
    return {"_form": [err.message], **{k: v for k, v in (err.details or {}).items() if k != "_form"}}


def _context(user: Actor, dataset: Dataset, meta: services.Metadata, **extra: Any) -> dict[str, Any]:
    gaps = services.missing(meta)
    refusal = services.editable_state(dataset)
    editable = can(user, Permission.REVIEW_STATISTIK_EDIT, dataset) and refusal is None
    return {"dataset": dataset, "meta": meta, "missing": gaps.messages(), "editable": editable, "refusal": refusal,
            "completeness": services.completeness(meta, gaps), "spec": spec,
            "import_max_bytes": int(current_app.config["STATISTIK_IMPORT_MAX_BYTES"]), **extra}


def _saved(gaps: services.Missing) -> None:
    if gaps.count:
        flash(_("Draf disimpan. Masih ada %(n)s isian wajib yang kosong; lihat daftarnya di atas formulir.",
                n=gaps.count), "info")
    else:
        flash(_("Metadata statistik disimpan dan lengkap."), "success")


@bp.route("/kelola/dataset/<slug>/metadata-statistik", methods=["GET", "POST"])
def kegiatan(slug: str) -> Any:
    user = signed_in()
    dataset = _workspace_dataset(user, slug)
    errors: dict[str, Any] = {}
    values: dict[str, Any] | None = None
    if request.method == "POST":
        raw = serializers.load_keg_form(request.form)
        try:
            gaps = services.update_kegiatan(user, dataset, raw)
            _saved(gaps)
            return redirect(url_for("statistik.kegiatan", slug=dataset.slug) + ("#kurang" if gaps.count else ""))
        except DomainError as err:
            roll_back_refused(err)
            errors = _errors(err)
            values = {k: (spec.MULTI_SEPARATOR.join(v) if isinstance(v, list) else v) for k, v in raw.items()}
    meta = services.load(dataset)
    shown = values or meta.keg
    prefilled = {k for k in meta.keg_prefilled if shown.get(k) == meta.keg.get(k)}
    return render_template("statistik/kegiatan.html", errors=errors, values=shown, prefilled=prefilled,
                           **_context(user, dataset, meta)), 400 if errors else 200


@bp.route("/kelola/dataset/<slug>/metadata-statistik/variabel", methods=["GET", "POST"])
def variabel(slug: str) -> Any:
    user = signed_in()
    dataset = _workspace_dataset(user, slug)
    errors: dict[str, Any] = {}
    submitted: list[dict[str, Any]] = []
    if request.method == "POST":
        submitted = serializers.load_var_form(request.form)
        try:
            gaps = services.update_variabel(user, dataset, submitted)
            _saved(gaps)
            return redirect(url_for("statistik.variabel", slug=dataset.slug) + ("#kurang" if gaps.count else ""))
        except DomainError as err:
            roll_back_refused(err)
            errors = _errors(err)
    meta = services.load(dataset)
    if submitted:  # show what was typed, not the saved values
        typed = {(e["resource"], e["column"]): e for e in submitted}
        for entry in meta.variables:
            again = typed.get((entry.resource.id, entry.column.name))
            if again is not None:
                entry.values = {f.key: str(again.get(f.key, "")) for f in spec.VAR_FIELDS}
    return render_template("statistik/variabel.html", errors=errors, **_context(user, dataset, meta)), \
        400 if errors else 200


@bp.route("/kelola/dataset/<slug>/metadata-statistik/indikator", methods=["GET", "POST"])
def indikator(slug: str) -> Any:
    user = signed_in()
    dataset = _workspace_dataset(user, slug)
    errors: dict[str, Any] = {}
    items: list[dict[str, Any]] | None = None
    if request.method == "POST":
        items = serializers.load_ind_form(request.form)
        try:
            gaps = services.update_indikator(user, dataset, items)
            _saved(gaps)
            return redirect(url_for("statistik.indikator", slug=dataset.slug) + ("#kurang" if gaps.count else ""))
        except DomainError as err:
            roll_back_refused(err)
            errors = _errors(err)
    meta = services.load(dataset)
    if items is None:
        items = [meta.indicator_values(row) for row in meta.indicators] or [services.prefill_indicator(dataset)]
    blank = {f.key: "" for f in spec.IND_FIELDS}
    return render_template("statistik/indikator.html", errors=errors, items=[*items, blank],
                           saved_count=len(meta.indicators), **_context(user, dataset, meta)), 400 if errors else 200


@bp.route("/kelola/dataset/<slug>/metadata-statistik/impor", methods=["GET", "POST"])
def impor(slug: str) -> Any:
    """The XLSX import: on success back to MS-Keg with what changed and what was ignored; a
    refused file is reported here (nothing was saved)."""
    user = signed_in()
    dataset = _workspace_dataset(user, slug)
    report: services.StatistikImportError | None = None
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise Invalid(_("Pilih berkas XLSX metadata statistik yang akan diimpor."))
            result = services.import_xlsx(user, dataset, upload.stream)
            _imported(result)
            gaps = result.missing.count if result.missing is not None else 0
            return redirect(url_for("statistik.kegiatan", slug=dataset.slug) + ("#kurang" if gaps else ""))
        except services.StatistikImportError as err:
            roll_back_refused(err)
            report, status = err, 400
        except (Invalid, Conflict) as err:  # no file; a locked dataset (a revision is needed)
            roll_back_refused(err)
            report = services.StatistikImportError(err.message, [])
            status = 409 if isinstance(err, Conflict) else 400
    meta = services.load(dataset)
    return render_template("statistik/import.html", report=report, **_context(user, dataset, meta)), status


def _imported(result: services.ImportResult) -> None:
    """The flashes after an import: what changed, what was left aside and why, what is missing."""
    if result.changed:
        flash(_("Impor XLSX selesai. Berubah: %(keg)s isian MS-Keg, %(var)s variabel MS-Var, %(ind)s indikator "
                "MS-Ind (%(added)s baru).", keg=len(result.keg), var=len(result.var), ind=result.ind,
                added=result.ind_added), "success")
    else:
        flash(_("Impor XLSX selesai: tidak ada isian yang berubah (isian di berkas sama dengan di portal, atau "
                "selnya kosong)."), "success")
    left: list[str] = []
    if result.other_rows:
        left.append(_("baris dataset lain (%(rows)s)",
                      rows=", ".join(f"{sheet}: {n}" for sheet, n in result.other_rows.items())))
    if result.ignored_columns:
        left.append(_("kolom yang tidak dikenal: %(names)s", names=_named(result.ignored_columns)))
    if result.unknown:
        left.append(_("baris yang tidak cocok dengan dataset ini: %(rows)s", rows=_named(result.unknown)))
    if result.other_sheets:
        left.append(_("lembar lain: %(names)s", names=_named(result.other_sheets)))
    if left:
        flash(_("Tidak diimpor: %(what)s.", what="; ".join(left)), "info")
    gaps = result.missing
    if gaps is not None and gaps.count:
        flash(_("Masih ada %(n)s isian wajib yang kosong; lihat daftarnya di atas formulir.", n=gaps.count), "info")


def _named(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (" " + _("dan %(n)s lainnya", n=len(names) - limit) if len(names) > limit else "")


def _download(body: bytes | dict[str, Any], name: str, fmt: str) -> Response:
    if fmt == "json":
        resp = jsonify(body)
    else:
        assert isinstance(body, bytes)
        resp = Response(body, mimetype=XLSX)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


def _export(dataset: Dataset, fmt: str) -> Response:
    if fmt not in ("xlsx", "json"):
        raise NotFound(_("Format unduhan tidak dikenal; pilih xlsx atau json."))
    meta = services.load(dataset)
    name = f"metadata-statistik-{(dataset.revision_of or dataset).slug}"
    return _download(services.export_json(meta) if fmt == "json" else services.export_xlsx([meta]), name, fmt)


@bp.get("/kelola/dataset/<slug>/metadata-statistik.<fmt>")
def export(slug: str, fmt: str) -> Any:
    return _export(_workspace_dataset(signed_in(), slug), fmt)


@bp.get("/kelola/metadata-statistik")
def bulk() -> Any:
    user = signed_in()
    require(user, Permission.REVIEW_STATISTIK_EDIT)
    organizations = services.bulk_organizations(user)
    org = _organization(organizations)
    rows = [(meta.dataset, _summary_of(meta)) for meta in services.load_many(services.bulk_datasets(user, org))]
    return render_template("statistik/bulk.html", rows=rows, organizations=organizations, organization=org)


def _organization(choices: list[Any]) -> Any:
    slug = request.args.get("opd", "")
    if not slug:
        return None
    found = next((o for o in choices if o.slug == slug), None)
    if found is None:
        raise NotFound(_("OPD tidak ditemukan di wilayah Anda."))
    return found


@bp.get("/kelola/metadata-statistik/ekspor.xlsx")
def bulk_export() -> Any:
    user = signed_in()
    require(user, Permission.REVIEW_STATISTIK_EDIT)
    org = _organization(services.bulk_organizations(user))
    metas = services.load_many(services.bulk_datasets(user, org))
    name = "metadata-statistik" + (f"-{org.slug}" if org is not None else "")
    return _download(services.export_xlsx(metas), name, "xlsx")


# --------------------------------------------------------------------------- public


@bp.get("/dataset/<slug>/metadata-statistik")
def public(slug: str) -> Any:
    dataset = services.get_public(slug, explain_withdrawn=True)
    meta = services.load(dataset)
    return render_template("statistik/public.html", dataset=dataset, meta=meta, sections=spec.keg_sections(),
                           spec=spec, completeness=services.completeness(meta))


@bp.get("/dataset/<slug>/metadata-statistik.<fmt>")
def public_export(slug: str, fmt: str) -> Any:
    return _export(services.get_public(slug, explain_withdrawn=True), fmt)
